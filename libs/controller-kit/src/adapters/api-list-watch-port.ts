import { BosunError, ErrorCode, createLogger, isBosunError, type Logger } from '@bosun/common';
import type { KubeObject, ListWatchPort, StopWatch, WatchEvent } from '../types';
import type { RestClient, RestResourceRef } from './rest-client';

export interface ApiListWatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Consecutive failed re-connects before the informer is told to re-list (default 5). */
  readonly maxResumeAttempts?: number;
  /** First wait before re-connecting; doubles per failure up to 5 s (default 200 ms). */
  readonly resumeDelayMs?: number;
  readonly logger?: Logger;
}

const revisionOf = (obj: KubeObject): number => {
  const rv = Number(obj.metadata.resourceVersion);
  if (!Number.isSafeInteger(rv)) {
    throw new BosunError(ErrorCode.Internal, `object without a numeric resourceVersion`, {
      context: { name: obj.metadata.name, resourceVersion: obj.metadata.resourceVersion },
    });
  }
  return rv;
};

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    t.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * A `ListWatchPort` over the api-server's list and watch. A dropped stream (server timeout,
 * connection reset, api-server restart) is resumed from the last revision seen, bookmarks
 * included, so nothing is listed twice; only Gone (the revision was compacted) or repeated
 * failures reach the informer, which then re-lists.
 */
export function apiListWatchPort<T extends KubeObject>(
  client: RestClient,
  ref: RestResourceRef,
  opts: ApiListWatchOptions = {},
): ListWatchPort<T> {
  const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  const log = opts.logger ?? createLogger(`list-watch:${ref.resource}`);
  const maxAttempts = opts.maxResumeAttempts ?? 5;
  const firstDelay = opts.resumeDelayMs ?? 200;

  return {
    async list() {
      const res = await client.list<T>(ref, selectors);
      return { items: res.items, revision: Number(res.metadata.resourceVersion ?? 0) };
    },

    watch(fromRevision, onEvent, onError): StopWatch {
      const abort = new AbortController();
      let last = fromRevision;
      const follow = async (): Promise<void> => {
        const query = { ...selectors, allowWatchBookmarks: true, resourceVersion: String(last) };
        for await (const e of client.watch<T>(ref, query, abort.signal)) {
          if (abort.signal.aborted) return;
          // The client raises ERROR events as errors; any that slip through carry no object.
          if (e.type === 'ERROR') continue;
          const revision = revisionOf(e.object);
          if (e.type === 'BOOKMARK') {
            last = Math.max(last, revision);
            continue;
          }
          if (revision <= last) continue;
          last = revision;
          onEvent({ type: e.type, object: e.object, revision } as WatchEvent<T>);
        }
      };
      const run = async (): Promise<void> => {
        let failures = 0;
        while (!abort.signal.aborted) {
          const before = last;
          try {
            await follow();
          } catch (error) {
            if (abort.signal.aborted) return;
            if (isBosunError(error, ErrorCode.Gone) || ++failures >= maxAttempts) {
              onError(error);
              return;
            }
            log.warn({ err: error, revision: last, failures }, 'watch dropped; resuming');
            await pause(Math.min(firstDelay * 2 ** (failures - 1), 5000), abort.signal);
            continue;
          }
          // A stream that ended cleanly and made progress resets the failure count; one that
          // ended with nothing new waits a little, so a server closing at once is not hammered.
          if (last > before) failures = 0;
          else await pause(firstDelay, abort.signal);
        }
      };
      void run().catch((error: unknown) => {
        if (!abort.signal.aborted) onError(error);
      });
      return () => abort.abort();
    },
  };
}
