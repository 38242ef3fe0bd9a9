import type { ApiClient, KubeObject, ResourceRef } from '@bosun/api-client';
import { PatchType } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import { inNamespace, Resources } from './resources';
import type { DeleteOptions, WritePort } from './write-port';

/** The WritePort over the REST API. */
export function apiWritePort(client: ApiClient): WritePort {
  return {
    async create<T extends KubeObject>(ref: ResourceRef, obj: T) {
      return client.create(inNamespace(ref, obj.metadata.namespace), obj);
    },
    async update<T extends KubeObject>(ref: ResourceRef, obj: T) {
      return client.update(inNamespace(ref, obj.metadata.namespace), obj);
    },
    async updateStatus<T extends KubeObject>(ref: ResourceRef, obj: T) {
      const r = inNamespace(ref, obj.metadata.namespace);
      return client.update(r, obj, 'status');
    },
    async patch<T extends KubeObject>(
      ref: ResourceRef,
      namespace: string,
      name: string,
      patch: unknown,
    ) {
      const r = inNamespace(ref, namespace);
      return client.patch<T>(r, name, patch, PatchType.Merge);
    },
    async delete(ref: ResourceRef, namespace: string, name: string, opts: DeleteOptions = {}) {
      // Preconditions travel in the DeleteOptions body, which ApiClient does not send yet: a
      // uid precondition is checked by reading first (a narrow race remains until it does).
      const r = inNamespace(ref, namespace);
      if (opts.uid !== undefined) {
        const current = await client.get(r, name);
        if (current.metadata['uid'] !== opts.uid) {
          throw new BosunError(
            ErrorCode.NotFound,
            `${ref.resource} ${name} with uid ${opts.uid} is gone`,
          );
        }
      }
      await client.delete(r, name, {
        propagationPolicy: opts.propagationPolicy,
        gracePeriodSeconds: opts.gracePeriodSeconds,
      });
    },
    async finalizeNamespace<T extends KubeObject>(obj: T) {
      return client.update(Resources.namespaces, obj, 'finalize');
    },
  };
}
