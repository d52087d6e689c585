/**
 * The service-account key file (GOOGLE_APPLICATION_CREDENTIALS), read and
 * checked once, with the other settings; the Sheets adapter is handed the result.
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../domain/errors';

/** The parts of a key file the Sheets adapter signs with. `privateKey` must never be logged or put in a message. */
export interface ServiceAccountKey {
  /** Where the key was read from, named in messages about it. */
  file: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

/** Parses the JSON key at `file`; ConfigurationError naming GOOGLE_APPLICATION_CREDENTIALS when it is missing or unusable. */
export function readServiceAccountKey(file: string): ServiceAccountKey {
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      code === 'ENOENT'
        ? `GOOGLE_APPLICATION_CREDENTIALS points to ${file}, which does not exist. Download the service-account key there.`
        : `GOOGLE_APPLICATION_CREDENTIALS: ${file} is not readable JSON${code ? ` (${code})` : ''}. ` +
            `Use the service-account key file from Google Cloud.`,
    );
  }
  const { client_email: clientEmail, private_key: privateKey, private_key_id: privateKeyId } = json ?? {};
  if (typeof clientEmail !== 'string' || typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) {
    throw new ConfigurationError(
      `GOOGLE_APPLICATION_CREDENTIALS: ${file} has no client_email/private_key. Use a service-account key (see credentials.example.json).`,
    );
  }
  return { file, clientEmail, privateKey, privateKeyId: typeof privateKeyId === 'string' ? privateKeyId : undefined };
}
