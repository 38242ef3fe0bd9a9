import type { ResourceRef } from '@bosun/api-client';

/** The collections the controllers read and write: the one table in @bosun/api-types. */
export { Resources } from '@bosun/api-types';

/** A ref narrowed to one namespace ('' keeps it cluster-scoped). */
export function inNamespace(ref: ResourceRef, namespace: string | undefined): ResourceRef {
  return namespace ? { ...ref, namespace } : { ...ref, namespace: undefined };
}
