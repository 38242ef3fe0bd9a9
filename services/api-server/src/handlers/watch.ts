import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest, toStatus } from '@bosun/resource-model';
import type { StoredObject, StoreEvent } from '@bosun/store';
import { scopeMatcher, selectionTracker, selectorMatcher } from '../watch/event-filter';
import { type ApiContext, type ResourceRequest, withTypeMeta } from './context';
import { listOptions } from './read';
import { tableOf, wantsTable } from './table';

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
  const opts = listOptions(r);
  const rv = r.query.get('resourceVersion') ?? '';
  const timeout = Number(r.query.get('timeoutSeconds') ?? '0');
  if (!Number.isFinite(timeout) || timeout < 0) throw badRequest('invalid timeoutSeconds');
  const bookmarks = r.query.get('allowWatchBookmarks') === 'true';
  const asTable = wantsTable(r.req.headers.accept);
  // Follow the whole scope and apply selectors here, so objects entering or leaving the
  // selection become ADDED / DELETED events.
  const scope = { group: opts.group, resource: opts.resource, namespace: opts.namespace };
  const selects = selectorMatcher(opts, r.kind.selectableFields);

  let initial: StoredObject[] = [];
  let from: number;
  if (rv === '' || rv === '0') {
    const listed = await ctx.store.list(r.kind.type, {
      ...opts,
      limit: undefined,
      continue: undefined,
    });
    initial = listed.items;
    from = listed.revision;
  } else {
    from = Number(rv);
  }

  const res = r.res;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let first = true;
  const encode = (type: string, obj: StoredObject): WatchEvent => {
    const typed = withTypeMeta(r.kind, obj);
    if (!asTable || type === 'BOOKMARK') return { type, object: typed };
    const rv = { resourceVersion: obj.metadata.resourceVersion };
    const table = tableOf(r.kind, [typed], r.query, rv, first);
    first = false;
    return { type, object: table };
  };
  const write = (e: WatchEvent): void => void res.write(`${JSON.stringify(e)}\n`);
  let lastRev = from;
  for (const o of initial) write(encode('ADDED', o));

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
  if (bookmarks) {
    const t = setInterval(bookmark, ctx.bookmarkIntervalMs);
    timers.push(t);
  }
  const view = selectionTracker(selects, rv === '' || rv === '0' ? initial : undefined);
  try {
    unregister = await ctx.hub.follow(from, scope, {
      matches: scopeMatcher(scope),
      push: (e: StoreEvent) => {
        if (done) return;
        lastRev = e.revision;
        const out = view(e);
        if (out) write(encode(out.type, out.object));
      },
      fail: () => finish(),
    });
    if (done) unregister();
    else if (bookmarks && initial.length > 0) bookmark();
  } catch (e) {
    const status = toStatus(
      e instanceof BosunError && e.code === ErrorCode.Gone
        ? new BosunError(ErrorCode.Gone, `too old resource version: ${rv} (${e.message})`)
        : e,
    );
    if (!done) write({ type: 'ERROR', object: status });
    finish();
  }
}
