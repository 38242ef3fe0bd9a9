import { request } from 'node:https';
import type { Connection } from '@bosun/api-client';

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One GET to the api-server with the connection's token and CA, for the documents ApiClient does
 * not model (discovery) and for probing a token. Never throws on an HTTP status.
 */
export function apiGet(conn: Connection, path: string, timeoutMs = 30_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${conn.server}${path}`,
      {
        method: 'GET',
        ca: conn.caPem,
        headers: {
          Accept: 'application/json',
          ...(conn.token ? { Authorization: `Bearer ${conn.token}` } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(new Error(`cannot reach ${conn.server}: ${e.message}`)));
    req.end();
  });
}

/** GET a JSON document; a non-2xx answer is an error carrying the server's message. */
export async function apiGetJson(conn: Connection, path: string): Promise<unknown> {
  const { status, body } = await apiGet(conn, path);
  if (status >= 200 && status < 300) return JSON.parse(body) as unknown;
  let message = body.trim();
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not a Status body: keep the text
  }
  throw new Error(`GET ${path}: the server answered ${status}: ${message}`);
}
