import type { Settings } from '.';

/** The path's last segment of a Slack webhook URL, the part that is the credential. */
function lastSegment(url: string): string | undefined {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop();
  } catch {
    return undefined;
  }
}

/** The password inside an SMTP URL (`smtps://user:pass@host`), as written and decoded. */
function urlPassword(url: string): string[] {
  try {
    const password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/** The service-account private key as written, as a JSON log line escapes it, and each line of its body. */
function privateKeyForms(pem: string): string[] {
  const body = pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  return [pem, JSON.stringify(pem).slice(1, -1), ...body];
}

/**
 * Every secret value in the settings that a log line must never show: the
 * webhook secret, the API token, Alpaca's secret key, the SMTP URL's password
 * (the host stays readable), the Twilio token, the Slack webhook URL and its key, and the
 * Google service-account private key. The
 * server and the analytics CLI both hand these to their logger's mask.
 */
export function secretValues(settings: Settings): string[] {
  const n = settings.notify;
  const slack = n.slack?.webhookUrl;
  const smtp = n.email?.smtpUrl;
  const values = [
    settings.webhookSecret, settings.safety.apiToken, settings.alpaca?.secretKey,
    ...(smtp ? urlPassword(smtp) : []),
    n.sms?.authToken,
    slack, slack && lastSegment(slack),
    ...(settings.google ? privateKeyForms(settings.google.key.privateKey) : []),
  ];
  // Longest first, so a URL is masked whole before its password inside it.
  return [...new Set(values.filter((s): s is string => !!s && s.length >= 4))].sort((a, b) => b.length - a.length);
}
