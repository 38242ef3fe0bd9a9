import type { ApiClient, KubeObject as ApiObject, ResourceRef } from '@bosun/api-client';
import type { KubeObject } from '@bosun/controller-kit';
import { inNamespace } from './resources';

/**
 * Direct reads for what no informer caches: the namespace controller sweeps every namespaced
 * kind once, which would be wasteful to watch all the time.
 */
export interface ReadPort {
  list(ref: ResourceRef, namespace: string): Promise<KubeObject[]>;
}

export function apiReadPort(client: ApiClient): ReadPort {
  return {
    async list(ref, namespace) {
      const out = await client.list<ApiObject>(inNamespace(ref, namespace));
      return out.items as unknown as KubeObject[];
    },
  };
}
