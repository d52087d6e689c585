/** Reads the service-account key file the Google store signs its requests with. */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../domain/errors';

/** The parts of a key file the store needs. `privateKey` must never be logged or put in a message. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

/** Parses the JSON key at `file`; ConfigurationError naming GOOGLE_APPLICATION_CREDENTIALS when it is unusable. */
export function readServiceAccountKey(file: string): ServiceAccountKey {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new ConfigurationError(
      `GOOGLE_APPLICATION_CREDENTIALS: cannot read ${file} (${why}). Point it at the service-account JSON key downloaded from Google Cloud.`,
    );
  }
  const { client_email: clientEmail, private_key: privateKey, private_key_id: privateKeyId } = json;
  if (typeof clientEmail !== 'string' || typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) {
    throw new ConfigurationError(
      `GOOGLE_APPLICATION_CREDENTIALS: ${file} has no client_email/private_key. Use a service-account key file (type "service_account").`,
    );
  }
  return { clientEmail, privateKey, privateKeyId: typeof privateKeyId === 'string' ? privateKeyId : undefined };
}
