/** Binding the app to its port, over HTTPS when the settings name a certificate. */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Express } from 'express';
import type { SafetySettings } from '../settings/safety';

/** Where the app listens: the port, the host (all interfaces when absent), and the TLS files, if any. */
export interface ListenAt {
  port: number;
  host?: string;
  tls?: SafetySettings['tls'];
}

/** Binds `app` as `at` says; `onBound` runs as it is bound, before any request can be read, and its failure undoes the bind. */
export function listen(app: Express, at: ListenAt, onBound: () => void): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    // TradingView accepts HTTPS on 443 with a real certificate; TLS_* files serve it without a proxy.
    const s = at.tls
      ? createHttpsServer({ cert: readFileSync(at.tls.certFile), key: readFileSync(at.tls.keyFile) }, app)
      : createHttpServer(app);
    s.once('error', reject);
    s.listen(at.port, at.host, () => {
      try {
        onBound();
        resolve(s);
      } catch (err) {
        s.close();
        reject(err);
      }
    });
  });
}
