import type { ApiClient } from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import type { ListResult, ListWatchPort, StopWatch, WatchEvent } from '@bosun/controller-kit';
import type { Pod } from '../pods/pod-types';

const PODS = Resources.pods;

/**
 * List+watch of the pods bound to one node (fieldSelector spec.nodeName), over the REST API.
 * A watch that ends normally is resumed from the last revision seen; any failure goes to the
 * informer, which re-lists.
 */
export class PodListWatch implements ListWatchPort<Pod> {
  private readonly fieldSelector: string;

  constructor(
    private readonly client: ApiClient,
    nodeName: string,
  ) {
    this.fieldSelector = `spec.nodeName=${nodeName}`;
  }

  async list(): Promise<ListResult<Pod>> {
    const list = await this.client.list<Pod>(PODS, {
      fieldSelector: this.fieldSelector,
    });
    return { items: list.items, revision: Number(list.metadata.resourceVersion ?? 0) };
  }

  watch(
    fromRevision: number,
    onEvent: (event: WatchEvent<Pod>) => void,
    onError: (error: unknown) => void,
  ): StopWatch {
    const abort = new AbortController();
    let revision = fromRevision;
    const run = async () => {
      while (!abort.signal.aborted) {
        const stream = this.client.watch<Pod>(
          PODS,
          {
            fieldSelector: this.fieldSelector,
            resourceVersion: String(revision),
            allowWatchBookmarks: true,
          },
          abort.signal,
        );
        for await (const e of stream) {
          const rv = Number(e.object.metadata.resourceVersion ?? 0);
          if (rv > revision) revision = rv;
          if (e.type === 'BOOKMARK' || e.type === 'ERROR') continue;
          onEvent({ type: e.type, object: e.object, revision: rv });
        }
      }
    };
    run().catch((e: unknown) => {
      if (!abort.signal.aborted) onError(e);
    });
    return () => abort.abort();
  }
}
