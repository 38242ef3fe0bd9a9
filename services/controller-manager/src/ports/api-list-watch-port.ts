import type { ApiClient, KubeObject as ApiObject, ResourceRef } from '@bosun/api-client';
import type { KubeObject, ListResult, ListWatchPort, StopWatch } from '@bosun/controller-kit';
import { revisionOf, WatchEventType } from '@bosun/controller-kit';

export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

const PAGE = 500;

/**
 * An informer's list+watch over the Kubernetes REST API: a paged list, then one watch from the
 * list's resourceVersion. Any end of the watch (server timeout, Gone, network) is reported as an
 * error so the informer re-lists: simple and always correct, if not the cheapest.
 */
export function apiListWatchPort<T extends KubeObject>(
  client: ApiClient,
  ref: ResourceRef,
  selectors: Selectors = {},
): ListWatchPort<T> {
  return {
    async list(): Promise<ListResult<T>> {
      const items: T[] = [];
      let cont: string | undefined;
      let revision = 0;
      do {
        const page = await client.list<ApiObject>(ref, {
          ...selectors,
          limit: PAGE,
          continue: cont,
        });
        for (const item of page.items) items.push(item as unknown as T);
        if (revision === 0) revision = Number(page.metadata.resourceVersion ?? 0);
        cont = page.metadata.continue || undefined;
      } while (cont);
      return { items, revision };
    },
    watch(fromRevision, onEvent, onError): StopWatch {
      const abort = new AbortController();
      void (async () => {
        try {
          const stream = client.watch<ApiObject>(
            ref,
            { ...selectors, resourceVersion: String(fromRevision), allowWatchBookmarks: false },
            abort.signal,
          );
          for await (const e of stream) {
            if (e.type === 'BOOKMARK' || e.type === 'ERROR') continue;
            const object = e.object as unknown as T;
            onEvent({ type: e.type as WatchEventType, object, revision: revisionOf(object) });
          }
          if (!abort.signal.aborted) onError(new Error(`watch on ${ref.resource} ended`));
        } catch (err) {
          if (!abort.signal.aborted) onError(err);
        }
      })();
      return () => abort.abort();
    },
  };
}
