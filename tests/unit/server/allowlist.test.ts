import { createAllowlist, matchesPath, normaliseIp } from '../../../src/http/security/allowlist';
import { TRADINGVIEW_IPS } from '../../../src/settings/safety';

describe('createAllowlist', () => {
  const list = createAllowlist([...TRADINGVIEW_IPS, '10.1.0.0/16', '2001:db8::/32']);

  it.each([...TRADINGVIEW_IPS, '10.1.255.3', '::ffff:52.89.214.238', '2001:db8::5'])('when the caller is %p, then it is allowed', (ip) => {
    expect(list.allows(ip)).toBe(true);
  });

  it.each(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])('when the caller is loopback (%p), then it is always allowed', (ip) => {
    expect(createAllowlist([]).allows(ip)).toBe(true);
  });

  it.each(['52.89.214.239', '10.2.0.1', '192.0.2.2', '2001:db9::1', '', 'not-an-ip', undefined])(
    'when the caller is %p, then it is refused',
    (ip) => {
      expect(list.allows(ip)).toBe(false);
    },
  );

  it('when an IPv4 caller comes through a dual-stack socket, then its plain form is used', () => {
    expect(normaliseIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('matchesPath', () => {
  const paths = ['/config', '/halt'];

  it.each(['/config', '/CONFIG', '/config/', '/Config//', '/%63onfig', '/halt/x'])(
    'when the path is %p, then it is guarded like the router would serve it',
    (p) => {
      expect(matchesPath(p, paths)).toBe(true);
    },
  );

  it.each(['/', '/configuration', '/webhook', '/health', '/%E0%A4%A'])('when the path is %p, then it is not one of them', (p) => {
    expect(matchesPath(p, paths)).toBe(false);
  });
});
