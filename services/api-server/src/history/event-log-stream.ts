import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLogLine } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import { toStatus } from '@bosun/resource-model';
import type { StoreEvent } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import { parseBoolParam } from '../http/query-bool';

export interface EventLogQuery {
  /** Start after this revision; absent = the last `limit` revisions. */
  readonly after?: number;
  readonly limit: number;
  readonly follow: boolean;
}

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 10_000;
const PAGE = 500;

const bad = (message: string): BosunError => new BosunError(ErrorCode.BadRequest, message);

/** Parses `after`, `limit` and `follow`; a malformed value is a 400 naming it. */
export function parseEventLogQuery(q: URLSearchParams): EventLogQuery {
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = q.get(name);
    if (raw === null) return undefined;
    if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw bad(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return Number(raw);
  };
  const followRaw = q.get('follow');
  const follow = parseBoolParam(followRaw);
  if (followRaw !== null && followRaw !== '' && follow === undefined)
    throw bad(`follow must be true or false, got "${followRaw}"`);
  return {
    after: int('after', 0, Number.MAX_SAFE_INTEGER),
    limit: int('limit', 1, MAX_EVENT_LIMIT) ?? DEFAULT_EVENT_LIMIT,
    follow: follow === true,
  };
}

const line = (e: StoreEvent): string =>
  `${JSON.stringify({
    revision: e.revision,
    type: e.type,
    group: e.key.group,
    resource: e.key.resource,
    namespace: e.key.namespace,
    name: e.key.name,
    actor: e.actor,
    time: e.time,
    object: e.object,
  } satisfies EventLogLine)}\n`;

/**
 * The whole event log as newline-delimited JSON, in revision order. Without `follow`: the events
 * after `after` (at most `limit`), then the end. With `follow`: everything after `after`, then
 * every new commit as it happens, exactly once, until the client goes. The backlog is read in
 * pages that wait for the socket to drain; the live part comes from the WatchHub (one reader of
 * the log per api-server), not from polling. `after` below the compaction horizon is 410 before
 * the stream starts; a compaction overtaking a slow follower ends it with an ERROR line carrying
 * the 410 Status, as a watch does.
 */
export async function serveEventLog(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  q: EventLogQuery,
): Promise<void> {
  const [compacted, head] = await Promise.all([
    ctx.store.compactedRevision(),
    ctx.store.currentRevision(),
  ]);
  const from = q.after ?? Math.max(compacted, head - q.limit);
  if (from < compacted)
    throw new BosunError(
      ErrorCode.Gone,
      `too old resource version: ${from} (${compacted}); the event log before it is compacted`,
      { context: { compactedRevision: compacted } },
    );
  let closed = false;
  const onClose = (): void => void (closed = true);
  req.on('close', onClose);
  res.on('close', onClose);
  res.writeHead(200, {
    'Content-Type': 'application/x-ndjson',
    'Cache-Control': 'no-cache, private',
    'X-Bosun-Compacted-Revision': String(compacted),
  });
  res.flushHeaders();
  let last = from;
  try {
    last = await copyBacklog(ctx, res, from, q.follow ? undefined : q.limit, () => closed);
    if (!q.follow || closed) return void res.end();
    await followLive(ctx, req, res, last, () => closed);
  } catch (e) {
    if (!closed) {
      res.write(`${JSON.stringify({ type: 'ERROR', object: toStatus(e) })}\n`);
      res.end();
    }
  }
}

/** Pages of the log after `from` (all up to the head, or `limit`); returns the last revision. */
async function copyBacklog(
  ctx: ApiContext,
  res: ServerResponse,
  from: number,
  limit: number | undefined,
  closed: () => boolean,
): Promise<number> {
  let last = from;
  let left = limit ?? Infinity;
  while (left > 0 && !closed()) {
    const page = await ctx.store.readEvents(last, undefined, Math.min(PAGE, left));
    for (const e of page) {
      last = e.revision;
      if (!res.write(line(e))) await drained(res);
    }
    left -= page.length;
    if (page.length < PAGE) break;
  }
  return last;
}

const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/** Hands the stream to the WatchHub from `last` until the client closes or the hub fails. */
async function followLive(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  last: number,
  closed: () => boolean,
): Promise<void> {
  let unregister: (() => void) | undefined;
  const finish = (): void => {
    unregister?.();
    unregister = undefined;
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  res.on('close', finish);
  unregister = await ctx.hub.follow(
    last,
    {},
    {
      matches: () => true,
      push: (e) => {
        if (!closed()) res.write(line(e));
      },
      fail: (e) => {
        if (!closed()) res.write(`${JSON.stringify({ type: 'ERROR', object: toStatus(e) })}\n`);
        finish();
      },
    },
  );
  if (closed()) finish();
}
