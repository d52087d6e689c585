import type { Settings } from '.';
import { configuredEntries } from './notify';

/** The service-account private key as written, as a JSON log line escapes it, and each line of its body. */
function privateKeyForms(pem: string): string[] {
  const body = pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  return [pem, JSON.stringify(pem).slice(1, -1), ...body];
}

/**
 * Every secret value in the settings that a log line must never show: the
 * webhook secret, the API token, Alpaca's secret key, each configured
 * notification channel's secrets (as its registry entry lists them: the SMTP
 * URL's password with the host left readable, the Twilio token, the Slack
 * webhook URL and its key), and the Google service-account private key. The
 * server and the analytics CLI both hand these to their logger's mask.
 */
export function secretValues(settings: Settings): string[] {
  const values = [
    settings.webhookSecret,
    settings.safety.apiToken,
    settings.alpaca?.secretKey,
    ...configuredEntries(settings.notify).flatMap((c) => c.spec.secrets(c.settings)),
    ...(settings.google ? privateKeyForms(settings.google.key.privateKey) : []),
  ];
  // Longest first, so a URL is masked whole before its password inside it.
  return [...new Set(values.filter((s): s is string => !!s && s.length >= 4))].sort((a, b) => b.length - a.length);
}
