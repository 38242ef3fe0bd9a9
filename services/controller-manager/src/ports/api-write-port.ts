import type { ApiClient, KubeObject, ResourceRef } from '@bosun/api-client';
import { isUidPreconditionFailure, PatchType } from '@bosun/api-client';
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
      const r = inNamespace(ref, namespace);
      const { uid, propagationPolicy, gracePeriodSeconds } = opts;
      try {
        await client.delete(r, name, {
          propagationPolicy,
          gracePeriodSeconds,
          preconditions: uid === undefined ? undefined : { uid },
        });
      } catch (e) {
        // The name holds a newer namesake: the object meant is gone.
        if (!isUidPreconditionFailure(e)) throw e;
        throw new BosunError(ErrorCode.NotFound, `${ref.resource} ${name} with uid ${uid} is gone`);
      }
    },
    async finalizeNamespace<T extends KubeObject>(obj: T) {
      return client.update(Resources.namespaces, obj, 'finalize');
    },
  };
}
