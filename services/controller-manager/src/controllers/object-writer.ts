import type { KubeObject } from '@bosun/controller-kit';

/** Which collection a write addresses (the namespace comes from the object or the call). */
export interface Resource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

export const Refs = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  daemonSets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronJobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
} as const satisfies Record<string, Resource>;

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
