import { badRequest, type KindInfo } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a decoded request body is an object of `kind` and fills in its type meta. */
export function asObjectOfKind(body: unknown, kind: KindInfo): StoredObject {
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON or YAML object');
  if (body.apiVersion !== undefined && body.apiVersion !== kind.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== kind.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${kind.kind})`,
    );
  }
  const metadata = body.metadata ?? {};
  if (!isPlainObject(metadata)) throw badRequest('metadata must be an object');
  return { ...body, apiVersion: kind.apiVersion, kind: kind.kind, metadata } as StoredObject;
}

/** Puts the request namespace on the object (and none on cluster-scoped kinds). */
export function checkNamespace(kind: KindInfo, namespace: string, obj: StoredObject): void {
  const ns = obj.metadata.namespace;
  if (!kind.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (ns !== undefined && ns !== '' && ns !== namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  obj.metadata.namespace = namespace;
}
