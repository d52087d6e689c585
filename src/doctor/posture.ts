import { chooseBroker } from '../adapters/brokers';
import type { Settings } from '../settings';
import { configuredEntries } from '../settings/notify';
import { TRADINGVIEW_IPS } from '../settings/safety';
import type { CheckResult } from './check-result';

const usd = (n: number) => `$${n.toLocaleString('en-US')}`;

/**
 * The doors and brakes as configured, judged without touching the network:
 * an open door or a missing brake on a real-money setup is a warning, never
 * silent. The alert channels close the list, one line each.
 */
export function doorsAndBrakes(settings: Settings): CheckResult[] {
  const s = settings.safety;
  const broker = chooseBroker(settings);
  const money = broker.mode !== 'local';
  const live = broker.mode === 'live';
  const out: CheckResult[] = [];
  out.push({
    name: 'mode',
    outcome: 'pass',
    detail: !money
      ? 'local: paper broker and CSV sheet, no real money'
      : live
        ? `${broker.name} LIVE: real money`
        : `${broker.name} paper account`,
  });
  const tvOnly =
    s.allowedIps !== undefined &&
    s.allowedIps.length === TRADINGVIEW_IPS.length &&
    TRADINGVIEW_IPS.every((ip) => s.allowedIps!.includes(ip));
  out.push(
    s.allowedIps === undefined
      ? {
          name: 'allowlist',
          outcome: money ? 'warn' : 'pass',
          detail: 'any address may call /webhook; set WEBHOOK_ALLOWED_IPS=tradingview',
        }
      : {
          name: 'allowlist',
          outcome: 'pass',
          detail: tvOnly
            ? 'only TradingView (and this machine) may call /webhook'
            : `/webhook allowed from ${s.allowedIps.join(', ')} and loopback`,
        },
  );
  out.push({
    name: 'proxy',
    outcome: 'pass',
    detail: s.trustProxy
      ? `X-Forwarded-For believed only from ${s.trustProxy.join(', ')}`
      : 'X-Forwarded-For ignored (set TRUST_PROXY=true behind nginx or Caddy on this machine)',
  });
  out.push({
    name: 'api token',
    outcome: 'pass',
    detail: s.apiToken
      ? 'API_TOKEN set: /config, /positions, /performance, /halt, /resume, /flatten need it'
      : 'generated under DATA_DIR (local mode)',
  });
  out.push(
    s.tls
      ? { name: 'https', outcome: 'pass', detail: `served directly with ${s.tls.certFile}` }
      : {
          name: 'https',
          outcome: money ? 'warn' : 'pass',
          detail: 'plain HTTP here: put Caddy or nginx with a certificate in front (docs/SECURITY.md), or set TLS_CERT_FILE/TLS_KEY_FILE',
        },
  );
  const brakes = [
    s.maxPositionUsd !== undefined && `size cap ${usd(s.maxPositionUsd)}`,
    s.maxOpenPositions !== undefined && `at most ${s.maxOpenPositions} symbols held`,
    s.maxDailyLossUsd !== undefined && `daily loss ${usd(s.maxDailyLossUsd)}`,
    s.maxDailyLossPct !== undefined && `daily loss ${s.maxDailyLossPct}%`,
    s.maxSignalAgeSeconds > 0 ? `signals older than ${s.maxSignalAgeSeconds}s refused` : 'signal age not checked',
    `off hours: ${s.offHoursPolicy}`,
    s.haltBlocksClose ? 'halt blocks CLOSE too' : 'CLOSE works while halted',
  ].filter(Boolean);
  const missing = s.maxPositionUsd === undefined || (s.maxDailyLossUsd === undefined && s.maxDailyLossPct === undefined);
  out.push({
    name: 'brakes',
    outcome: live && missing ? 'warn' : 'pass',
    detail: brakes.join('; ') + (live && missing ? '. Set MAX_POSITION_USD and MAX_DAILY_LOSS_USD or _PCT for live money' : ''),
  });
  const channels = configuredEntries(settings.notify);
  out.push({
    name: 'alerts',
    outcome: channels.length || !money ? 'pass' : 'warn',
    detail: channels.length
      ? `breaker alerts go to ${channels.map((c) => c.name).join(', ')}`
      : 'no alert channel: a tripped loss breaker will only be logged',
  });
  // Each channel's own line, from its registry entry: where it delivers, judged from the settings alone.
  for (const c of channels) out.push({ name: c.name, ...c.spec.doctor(c.settings) });
  return out;
}
