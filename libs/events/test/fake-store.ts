import { BosunError, ErrorCode } from '@bosun/common';
import type {
  Change,
  Filter,
  LeadershipLease,
  ResourceType,
  Store,
  StoredObject,
  StoreEvent,
  EventType,
} from '@bosun/store';
import { eventPredicate } from '../src/selectors';

/** What several fake "processes" share: the log, checkpoints, leases and commit listeners. */
export class FakeDatabase {
  readonly events: StoreEvent[] = [];
  readonly checkpoints = new Map<string, number>();
  readonly leases = new Map<string, FakeStore>();
  readonly listeners = new Set<(rev: number) => void>();
  compacted = 0;
}

/**
 * An in-memory Store for the relay's and the watch's own logic: a gapless log, commit hints,
 * leases that a test can drop as a dead connection would. Only what libs/events uses is real.
 */
export class FakeStore implements Store {
  private readonly lost = new Map<string, () => void>();
  constructor(readonly db = new FakeDatabase()) {}

  private record(type: ResourceType, obj: StoredObject, kind: EventType): StoredObject {
    const revision = this.db.events.length + this.db.compacted + 1;
    const object = structuredClone(obj);
    object.metadata.resourceVersion = String(revision);
    const key = {
      group: type.group,
      resource: type.resource,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    };
    this.db.events.push({
      revision,
      type: kind,
      key,
      object,
      prevRevision: 0,
      actor: '',
      time: new Date().toISOString(),
    });
    for (const l of this.db.listeners) queueMicrotask(() => l(revision));
    return object;
  }

  async create(type: ResourceType, obj: StoredObject): Promise<StoredObject> {
    return this.record(type, obj, 'ADDED');
  }
  async update(type: ResourceType, obj: StoredObject): Promise<StoredObject> {
    return this.record(type, obj, 'MODIFIED');
  }
  async delete(type: ResourceType, namespace: string, name: string): Promise<StoredObject> {
    return this.record(type, { metadata: { namespace, name } }, 'DELETED');
  }

  async append(c: Change): Promise<StoredObject> {
    const kind = ({ create: 'ADDED', update: 'MODIFIED', delete: 'DELETED' } as const)[c.kind];
    const obj = c.obj ?? { metadata: { namespace: c.key.namespace, name: c.key.name } };
    return this.record(c.type, obj, kind);
  }

  async readEvents(after: number, filter: Filter = {}, limit = 1000): Promise<StoreEvent[]> {
    if (after < this.db.compacted)
      throw new BosunError(ErrorCode.Gone, `revision ${after} compacted`);
    const match = eventPredicate(filter);
    const start = after - this.db.compacted;
    return this.db.events.slice(Math.max(0, start)).filter(match).slice(0, limit);
  }

  async currentRevision(): Promise<number> {
    return this.db.events.length + this.db.compacted;
  }
  async compactedRevision(): Promise<number> {
    return this.db.compacted;
  }
  async compact(): Promise<{ compactedRevision: number; deletedEvents: number }> {
    throw new Error('not in the fake');
  }

  async onCommit(listener: (revision: number) => void): Promise<() => Promise<void>> {
    this.db.listeners.add(listener);
    return async () => void this.db.listeners.delete(listener);
  }

  async tryLeadership(name: string): Promise<LeadershipLease | undefined> {
    if (this.db.leases.has(name)) return undefined;
    this.db.leases.set(name, this);
    let resolveLost!: () => void;
    const lost = new Promise<void>((r) => (resolveLost = r));
    const end = (): void => {
      if (this.db.leases.get(name) === this) this.db.leases.delete(name);
      this.lost.delete(name);
      resolveLost();
    };
    this.lost.set(name, end);
    return { lost, release: async () => end() };
  }

  /** As if this process's lease connection dropped. */
  dropLeases(): void {
    for (const end of [...this.lost.values()]) end();
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    return this.db.checkpoints.get(name);
  }
  async setCheckpoint(name: string, revision: number): Promise<void> {
    this.db.checkpoints.set(name, revision);
  }
  async close(): Promise<void> {
    this.dropLeases();
  }

  get(): Promise<StoredObject> {
    throw new Error('not in the fake');
  }
  list(): never {
    throw new Error('not in the fake');
  }
  guaranteedUpdate(): never {
    throw new Error('not in the fake');
  }
  history(): never {
    throw new Error('not in the fake');
  }
}
