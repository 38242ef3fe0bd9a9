import { BosunError, ErrorCode } from '@bosun/common';
import type { Lease, LeasePort } from '../lease';

/** Leases in memory with resourceVersion preconditions, like the api-server enforces them. */
export class InMemoryLeasePort implements LeasePort {
  private readonly leases = new Map<string, Lease>();
  private revision = 0;
  /** Set to make every call fail, as an unreachable api-server would. */
  unavailable = false;

  async get(namespace: string, name: string): Promise<Lease | undefined> {
    this.check();
    const lease = this.leases.get(`${namespace}/${name}`);
    return lease && structuredClone(lease);
  }

  async create(lease: Lease): Promise<Lease> {
    this.check();
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    if (this.leases.has(key)) throw new BosunError(ErrorCode.AlreadyExists, `lease ${key} exists`);
    return this.store(key, lease);
  }

  async update(lease: Lease): Promise<Lease> {
    this.check();
    const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
    const current = this.leases.get(key);
    if (!current) throw new BosunError(ErrorCode.NotFound, `lease ${key} not found`);
    if (lease.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw new BosunError(ErrorCode.Conflict, `lease ${key} was modified`);
    }
    return this.store(key, lease);
  }

  private store(key: string, lease: Lease): Lease {
    const stored = structuredClone(lease);
    stored.metadata.resourceVersion = String(++this.revision);
    this.leases.set(key, stored);
    return structuredClone(stored);
  }

  private check(): void {
    if (this.unavailable) throw new BosunError(ErrorCode.Unavailable, 'lease store unavailable');
  }
}
