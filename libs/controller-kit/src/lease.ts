import type { Lease } from '@bosun/api-types';

/** coordination.k8s.io/v1 Lease and its spec: the model's (renewTime and acquireTime are MicroTime). */
export type { Lease, LeaseSpec } from '@bosun/api-types';

/**
 * Where leases live. `update` must fail with a Conflict BosunError when the lease's
 * resourceVersion is stale, and `create` with AlreadyExists when another candidate won the race:
 * that precondition is what makes "two leaders" impossible.
 */
export interface LeasePort {
  get(namespace: string, name: string): Promise<Lease | undefined>;
  create(lease: Lease): Promise<Lease>;
  update(lease: Lease): Promise<Lease>;
}

/** Formats epoch milliseconds as a Kubernetes MicroTime. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function parseMicroTime(value: string): number {
  return Date.parse(value);
}
