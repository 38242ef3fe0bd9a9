import type { Metadata } from '@grpc/grpc-js';
import { Observable, type Subscriber } from 'rxjs';
import { ErrorCode, isBosunError } from '@bosun/common';
import { toStatus } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { EventType, type WatchEvent, type WatchRequest } from '@bosun/proto';
import { toListOptions } from '../operations/list';
import { followWatch, startWatch, type WatchSpec } from '../operations/watch';
import type { GrpcCaller } from './grpc-caller';
import { toJsonBytes } from './json-bytes';

const EVENT_TYPE: Record<string, EventType> = {
  ADDED: EventType.EVENT_TYPE_ADDED,
  MODIFIED: EventType.EVENT_TYPE_MODIFIED,
  DELETED: EventType.EVENT_TYPE_DELETED,
};

/**
 * ResourceService.Watch: every change after options.resource_version, in revision order, exactly
 * once (the WatchHub's guarantee). Without a revision (or with "0", or send_initial_events) the
 * current objects come first as ADDED; with send_initial_events a BOOKMARK then marks their end.
 * A compacted revision ends the stream with an ERROR event carrying the 410 Status; failures
 * before the stream starts (auth, unknown resource, bad selector) are the call's gRPC status.
 */
export function watchStream(
  caller: GrpcCaller,
  request: WatchRequest,
  metadata: Metadata | undefined,
): Observable<WatchEvent> {
  return new Observable<WatchEvent>((subscriber) => {
    let stop: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    run(caller, request, metadata, subscriber, (t) => (timer = t))
      .then((unregister) => {
        if (closed) unregister();
        else stop = unregister;
      })
      .catch((e: unknown) => subscriber.error(e));
    return () => {
      closed = true;
      if (timer) clearInterval(timer);
      stop?.();
    };
  });
}

async function run(
  caller: GrpcCaller,
  request: WatchRequest,
  metadata: Metadata | undefined,
  out: Subscriber<WatchEvent>,
  keepTimer: (t: NodeJS.Timeout) => void,
): Promise<() => void> {
  const req = await caller.request(metadata, request.ref, 'watch');
  const o = request.options;
  const fromList = request.sendInitialEvents;
  const spec: WatchSpec = {
    kind: req.kind,
    options: toListOptions(req.kind, req.namespace, {
      labelSelector: o?.labelSelector,
      fieldSelector: o?.fieldSelector,
      resourceVersion: o?.resourceVersion,
    }),
    resourceVersion: fromList ? '' : (o?.resourceVersion ?? ''),
  };
  const ctx = caller.ctx;
  const start = await startWatch(ctx, spec);
  const send = (type: EventType, object: unknown, revision: number | string): void => {
    if (!out.closed) out.next({ type, object: toJsonBytes(object), revision: String(revision) });
  };
  let lastRev = start.from;
  const bookmark = (): void =>
    send(
      EventType.EVENT_TYPE_BOOKMARK,
      {
        kind: req.kind.kind,
        apiVersion: req.kind.apiVersion,
        metadata: { resourceVersion: String(lastRev) },
      },
      lastRev,
    );
  // Initial objects carry their own revision (the change that made them what they are).
  for (const obj of start.initial) send(EVENT_TYPE.ADDED, obj, revisionOf(obj));
  if (fromList) bookmark();
  if (request.allowBookmarks) keepTimer(setInterval(bookmark, ctx.bookmarkIntervalMs));
  try {
    return await followWatch(ctx, spec, start, {
      seen: (revision) => (lastRev = revision),
      event: (type, object, revision) => send(EVENT_TYPE[type], object, revision),
      fail: () => out.complete(),
    });
  } catch (e) {
    if (!isBosunError(e, ErrorCode.Gone)) throw e;
    send(EventType.EVENT_TYPE_ERROR, toStatus(e), lastRev);
    out.complete();
    return () => undefined;
  }
}

const revisionOf = (obj: StoredObject): string => String(obj.metadata.resourceVersion ?? '0');
