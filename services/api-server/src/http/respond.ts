import type { ServerResponse } from 'node:http';
import { toStatus } from '@bosun/resource-model';

/** Answers JSON; `warnings` become `Warning: 299` headers, which kubectl prints. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: readonly string[] = [],
): void {
  const text = JSON.stringify(body);
  if (warnings.length > 0) {
    res.setHeader(
      'Warning',
      warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
  }
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

/** Answers any error as a Status with its code; unknown errors become a generic 500. */
export function sendError(res: ServerResponse, e: unknown): void {
  if (res.writableEnded) return; // answered already (a request timeout): nothing to add
  const status = toStatus(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (status.code === 401) headers['WWW-Authenticate'] = 'Bearer realm="bosun"';
  if (status.details?.retryAfterSeconds)
    headers['Retry-After'] = String(status.details.retryAfterSeconds);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status.code, status);
}
