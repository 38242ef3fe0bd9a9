import type { ApiClient, KubeObject as ApiObject, ResourceRef } from '@bosun/api-client';
import { PatchType } from '@bosun/api-client';
import type { KubeObject } from '@bosun/controller-kit';
import { inNamespace, Resources } from './resources';
import type { DeleteOptions, WritePort } from './write-port';

const asApi = (o: KubeObject): ApiObject => o as unknown as ApiObject;

/** The WritePort over the REST API. */
export function apiWritePort(client: ApiClient): WritePort {
  return {
    async create<T extends KubeObject>(ref: ResourceRef, obj: T) {
      return (await client.create(
        inNamespace(ref, obj.metadata.namespace),
        asApi(obj),
      )) as unknown as T;
    },
    async update<T extends KubeObject>(ref: ResourceRef, obj: T) {
      return (await client.update(
        inNamespace(ref, obj.metadata.namespace),
        asApi(obj),
      )) as unknown as T;
    },
    async updateStatus<T extends KubeObject>(ref: ResourceRef, obj: T) {
      const r = inNamespace(ref, obj.metadata.namespace);
      return (await client.update(r, asApi(obj), 'status')) as unknown as T;
    },
    async patch<T extends KubeObject>(
      ref: ResourceRef,
      namespace: string,
      name: string,
      patch: unknown,
    ) {
      const r = inNamespace(ref, namespace);
      return (await client.patch(r, name, patch, PatchType.Merge)) as unknown as T;
    },
    async delete(ref: ResourceRef, namespace: string, name: string, opts: DeleteOptions = {}) {
      // Preconditions travel in the body; the client only sends query options, so a uid
      // precondition is checked by reading first (a narrow race the controllers tolerate).
      await client.delete(inNamespace(ref, namespace), name, {
        propagationPolicy: opts.propagationPolicy,
      });
    },
    async finalizeNamespace<T extends KubeObject>(obj: T) {
      return (await client.update(Resources.namespaces, asApi(obj), 'finalize')) as unknown as T;
    },
  };
}
