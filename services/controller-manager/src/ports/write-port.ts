import type { ResourceRef } from '@bosun/api-client';
import type { KubeObject } from '@bosun/controller-kit';

export interface DeleteOptions {
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Delete only this incarnation (the object may have been recreated under the same name). */
  readonly uid?: string;
  readonly resourceVersion?: string;
  /** 0 deletes at once (a force delete, as pod GC does); absent keeps the object's own grace. */
  readonly gracePeriodSeconds?: number;
}

/**
 * Everything a controller may change in the world. Objects passed in are never cached ones
 * (copy first); `update` and `updateStatus` carry metadata.resourceVersion as a precondition.
 * Refs are cluster-wide; the namespace comes from the object or the argument.
 */
export interface WritePort {
  create<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T>;
  update<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T>;
  updateStatus<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T>;
  /** Merge patch (JSON merge semantics); used for metadata-only changes. */
  patch<T extends KubeObject>(
    ref: ResourceRef,
    namespace: string,
    name: string,
    patch: unknown,
  ): Promise<T>;
  delete(ref: ResourceRef, namespace: string, name: string, opts?: DeleteOptions): Promise<void>;
  /** PUT <namespace>/finalize (namespaces only). */
  finalizeNamespace<T extends KubeObject>(obj: T): Promise<T>;
}
