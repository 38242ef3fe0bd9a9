import type { ApiClient, KubeObject, ResourceRef } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { inNamespace } from './resources';

/**
 * Direct reads for what no informer caches: the namespace controller sweeps every namespaced
 * kind once, which would be wasteful to watch all the time.
 */
export interface ReadPort {
  list(ref: ResourceRef, namespace: string): Promise<KubeObject[]>;
  /** A live read past every cache; undefined when the object does not exist. */
  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject | undefined>;
}

export function apiReadPort(client: ApiClient): ReadPort {
  return {
    async list(ref, namespace) {
      const out = await client.list(inNamespace(ref, namespace));
      return out.items;
    },
    async get(ref, namespace, name) {
      try {
        return await client.get(inNamespace(ref, namespace), name);
      } catch (e) {
        if (isBosunError(e, ErrorCode.NotFound)) return undefined;
        throw e;
      }
    },
  };
}
