/** HTTPS served by the bot itself (TLS_CERT_FILE / TLS_KEY_FILE), with a certificate made for the test. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET, startGuarded, type GuardedStack } from '../../support/guarded-stack';

let stack: GuardedStack;
let dir: string;
let haveOpenssl = true;
try {
  execFileSync('openssl', ['version']);
} catch {
  haveOpenssl = false;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-'));
  if (!haveOpenssl) return;
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => stack?.stop());

/** One HTTPS POST that trusts only the test certificate. */
function postHttps(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: 'POST', ca: readFileSync(join(dir, 'cert.pem')), headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

(haveOpenssl ? describe : describe.skip)('HTTPS', () => {
  it('when TLS files are set, then the webhook is served over HTTPS with that certificate and plain HTTP gets nothing', async () => {
    stack = await startGuarded({ env: { TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') } });
    expect(stack.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await postHttps(
      `${stack.server.url}/webhook`,
      JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: SECRET }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).status).toBe('ORDER SUBMITTED');
    const plain = await new Promise<string>((resolve) => {
      const req = httpRequest(stack.server.url.replace('https', 'http') + '/health', (r) => resolve(`answered ${r.statusCode}`));
      req.on('error', (err) => resolve(`refused: ${err.message}`));
      req.end();
    });
    expect(plain).not.toBe('answered 200');
  });
});
