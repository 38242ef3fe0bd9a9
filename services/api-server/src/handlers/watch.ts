import { badRequest, toStatus } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { followWatch, startWatch, type WatchSpec } from '../operations/watch';
import { type ApiContext, type ResourceRequest } from './context';
import { listOptions } from './read';
import { tableOf, wantsTable } from './table';
import { queryFlag } from '../http/query-bool';

interface WatchEvent {
  readonly type: string;
  readonly object: unknown;
}

/**
 * `?watch=true`: a chunked stream of `{type, object}` JSON lines. Without a resourceVersion (or
 * with "0") the current objects come first as ADDED events, as Kubernetes does; a compacted
 * resourceVersion ends the stream with an ERROR event carrying a 410 Status.
 */
export async function watchObjects(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const spec: WatchSpec = {
    kind: r.kind,
    options: listOptions(r),
    resourceVersion: r.query.get('resourceVersion') ?? '',
  };
  const timeout = Number(r.query.get('timeoutSeconds') ?? '0');
  if (!Number.isFinite(timeout) || timeout < 0) throw badRequest('invalid timeoutSeconds');
  const bookmarks = queryFlag(r.query, 'allowWatchBookmarks');
  const asTable = wantsTable(r.req.headers.accept);
  const start = await startWatch(ctx, spec);

  const res = r.res;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let first = true;
  const encode = (type: string, obj: StoredObject): WatchEvent => {
    if (!asTable || type === 'BOOKMARK') return { type, object: obj };
    const rv = { resourceVersion: obj.metadata.resourceVersion };
    const table = tableOf(r.kind, [obj], r.query, rv, first);
    first = false;
    return { type, object: table };
  };
  const write = (e: WatchEvent): void => void res.write(`${JSON.stringify(e)}\n`);
  let lastRev = start.from;
  for (const o of start.initial) write(encode('ADDED', o));

  let done = false;
  const timers: NodeJS.Timeout[] = [];
  let unregister: (() => void) | undefined;
  const finish = (): void => {
    if (done) return;
    done = true;
    timers.forEach((t) => clearTimeout(t));
    unregister?.();
    res.end();
  };
  r.req.on('close', finish);
  res.on('close', finish);
  const bookmark = (): void => {
    if (done) return;
    write({
      type: 'BOOKMARK',
      object: {
        kind: r.kind.kind,
        apiVersion: r.kind.apiVersion,
        metadata: { resourceVersion: String(lastRev) },
      },
    });
  };
  if (timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
  if (bookmarks) timers.push(setInterval(bookmark, ctx.bookmarkIntervalMs));
  try {
    unregister = await followWatch(ctx, spec, start, {
      seen: (revision) => {
        if (!done) lastRev = revision;
      },
      event: (type, object) => {
        if (!done) write(encode(type, object));
      },
      fail: () => finish(),
    });
    if (done) unregister();
    else if (bookmarks && start.initial.length > 0) bookmark();
  } catch (e) {
    if (!done) write({ type: 'ERROR', object: toStatus(e) });
    finish();
  }
}
