import type { ServerResponse } from 'node:http';
import { parseDuration } from '@bosun/common';
import { badRequest, timeout } from '@bosun/resource-model';
import { sendError } from './respond';

/** kube-apiserver's default `--request-timeout`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * The deadline of a non-long-running request: the server's, or the client's `?timeout=` when
 * shorter (as kube-apiserver honours it). A malformed one is a 400.
 */
export function requestDeadline(query: URLSearchParams, serverMs: number): number {
  const raw = query.get('timeout');
  if (raw === null || raw === '') return serverMs;
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch {
    throw badRequest(`invalid timeout specified in the request URL: ${JSON.stringify(raw)}`);
  }
  return ms > 0 && ms < serverMs ? ms : serverMs;
}

/**
 * Answers 504 Timeout Status when the response is not finished within `ms`. The handler keeps
 * running (a promise cannot be cancelled; the store's statement timeout bounds its queries), so
 * its late writes are dropped here rather than written after the end, which would throw. If the
 * answer had already begun, the connection is cut: a half response cannot become a Status.
 * Returns the function that cancels the timer.
 */
export function armRequestTimeout(res: ServerResponse, ms: number): () => void {
  if (ms <= 0) return () => undefined;
  const timer = setTimeout(() => {
    if (res.writableEnded) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(
      res,
      timeout(`request did not complete within the allotted timeout of ${ms / 1000}s`, 1),
    );
    res.setHeader = () => res;
    res.writeHead = () => res;
    res.write = () => true;
    res.end = () => res;
  }, ms);
  timer.unref();
  const cancel = () => clearTimeout(timer);
  res.once('close', cancel);
  return cancel;
}
