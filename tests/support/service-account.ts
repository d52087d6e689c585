/**
 * Throw-away Google service accounts for tests: a fresh RSA key pair and a key
 * file shaped like the JSON Google Cloud Console downloads, written to a temp dir.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A generated service account: its key file on disk and the public half for the fake to verify with. */
export interface TestServiceAccount {
  email: string;
  /** Path of the key file (as GOOGLE_APPLICATION_CREDENTIALS would name it). */
  keyFile: string;
  publicKeyPem: string;
  privateKeyPem: string;
  /** The temp dir holding the key file. */
  dir: string;
  /** Deletes the temp dir. */
  cleanup(): void;
}

/**
 * What to put in the key file. A test that needs a wrong key creates a second
 * account with the first one's `email`: same name, different key.
 */
export interface ServiceAccountOptions {
  email?: string;
  projectId?: string;
  /** Extra or replaced JSON fields, e.g. `{ token_uri: 'http://…' }`. */
  overrides?: Record<string, unknown>;
  /** Write into this dir instead of a new temp dir. */
  dir?: string;
}

/** Generates an RSA-2048 key pair and writes a service-account key file for it. */
export function createServiceAccount(options: ServiceAccountOptions = {}): TestServiceAccount {
  const projectId = options.projectId ?? 'trading-bot-test';
  const email = options.email ?? `sheets-bot@${projectId}.iam.gserviceaccount.com`;
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKeyPem = pair.privateKey;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'service-account-'));
  const keyFile = join(dir, `credentials-${randomBytes(4).toString('hex')}.json`);
  const json = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKeyPem,
    client_email: email,
    client_id: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
    ...options.overrides,
  };
  writeFileSync(keyFile, JSON.stringify(json, null, 2), { mode: 0o600 });
  return {
    email,
    keyFile,
    publicKeyPem: pair.publicKey,
    privateKeyPem,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
