import type { ApiClient, KubeObject as ApiObject, ResourceRef } from '@bosun/api-client';
import { isUidPreconditionFailure, PatchType } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
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
      return (await client.update(Resources.namespaces, asApi(obj), 'finalize')) as unknown as T;
    },
  };
}
