import type { GroupVersionResource } from '@bosun/api-types';
import type { KubeObject } from '@bosun/controller-kit';

/** Which collection a write addresses (the namespace comes from the object or the call). */
export type Resource = GroupVersionResource;

/** The collections these controllers write: the one table in @bosun/api-types. */
export { Resources as Refs } from '@bosun/api-types';

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/**
 * The write side of the DaemonSet, Job, CronJob, node lifecycle and pod GC controllers: the only
 * way they change the world, so unit tests check the exact writes. The manager's WritePort
 * (ports/write-port.ts) satisfies it. Updates carry the object's
 * resourceVersion as a precondition (Conflict when stale); status goes through `/status`.
 */
export interface ObjectWriter {
  create<T extends KubeObject>(resource: Resource, obj: T): Promise<T>;
  update<T extends KubeObject>(resource: Resource, obj: T): Promise<T>;
  updateStatus<T extends KubeObject>(resource: Resource, obj: T): Promise<T>;
  delete(resource: Resource, namespace: string, name: string, opts?: DeleteOptions): Promise<void>;
}
