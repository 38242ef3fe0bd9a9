/** coordination.k8s.io/v1 Lease, as the leader elector reads and writes it. */
export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    uid?: string;
    [field: string]: unknown;
  };
  spec: LeaseSpec;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with microseconds, e.g. 2026-01-01T00:00:00.000000Z. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

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
