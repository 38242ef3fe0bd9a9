/**
 * The storage contract of Bosun's event-sourced store: every committed change is one row of the
 * append-only `events` log with a gapless, strictly increasing revision (I2); the `objects` table is
 * the projection of that log (I6). This file is the whole contract; one file per operation
 * implements it.
 */
import type { Registry } from 'prom-client';

/** The identity of a stored resource type. `group` is '' for the core API group. */
export interface ResourceType {
  readonly group: string;
  readonly resource: string; // plural, lower case: 'pods', 'deployments'
  readonly namespaced: boolean;
}

/** A key: the resource type plus namespace ('' for cluster-scoped) and name. */
export interface ObjectKey {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

/** A Kubernetes-shaped object as the store keeps it; only `metadata` is interpreted by the store. */
import type { KubeObject, ObjectMeta } from '@bosun/api-types';

export type StoredObject = KubeObject;
export type { ObjectMeta };

export const EventType = {
  Added: 'ADDED',
  Modified: 'MODIFIED',
  Deleted: 'DELETED',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** One committed change: a row of the log. `object.metadata.resourceVersion === String(revision)`. */
export interface StoreEvent {
  readonly revision: number;
  readonly type: EventType;
  readonly key: ObjectKey;
  readonly object: StoredObject;
  /** Revision of the previous version of this key (0 when created). */
  readonly prevRevision: number;
  /** Who made the change (the authenticated user), '' when unknown. */
  readonly actor: string;
  /** Commit time, ISO 8601. */
  readonly time: string;
}

/** Which events or objects a read concerns. Absent fields match everything. */
export interface Filter {
  readonly group?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h`. */
  readonly labelSelector?: string;
  /** Kubernetes field selector syntax on indexed fields: `metadata.name=x,spec.nodeName!=y`. */
  readonly fieldSelector?: string;
}

export interface WriteOptions {
  readonly actor?: string;
  /** Validate and compute the result without committing it (Kubernetes dry-run). */
  readonly dryRun?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** Precondition: fails with Conflict unless the stored resourceVersion equals this. */
  readonly resourceVersion?: string;
}

export interface DeleteOptions extends WriteOptions {
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface ListOptions extends Filter {
  readonly limit?: number;
  readonly continue?: string;
  /**
   * '' or absent: most recent (a consistent snapshot). A revision: the state exactly at that
   * revision (Gone when compacted).
   */
  readonly resourceVersion?: string;
}

export interface ListResult {
  readonly items: StoredObject[];
  /** The snapshot revision the whole list (all its pages) was read at. */
  readonly revision: number;
  /** Opaque token for the next page, absent on the last page. */
  readonly continue?: string;
  /** Objects left after this page, when known. */
  readonly remainingItemCount?: number;
}

export interface HistoryEntry {
  readonly revision: number;
  readonly type: EventType;
  readonly object: StoredObject;
  readonly actor: string;
  readonly time: string;
}

export interface CompactOptions {
  /** Keep at least this many most recent revisions of the whole log. */
  readonly keepRevisions?: number;
  /** Keep everything committed within this many milliseconds. */
  readonly keepMs?: number;
}

/**
 * The store. Writes are group-committed: concurrent calls in one process share a transaction, and
 * every caller is answered only after that transaction commits (I1).
 */
export interface Store {
  create(type: ResourceType, obj: StoredObject, opts?: WriteOptions): Promise<StoredObject>;
  get(type: ResourceType, namespace: string, name: string): Promise<StoredObject>;
  list(type: ResourceType, opts?: ListOptions): Promise<ListResult>;
  update(type: ResourceType, obj: StoredObject, opts?: UpdateOptions): Promise<StoredObject>;
  /** Read-modify-write with retry on conflict; `mutate` gets a private copy to change. */
  guaranteedUpdate(
    type: ResourceType,
    namespace: string,
    name: string,
    mutate: (current: StoredObject) => StoredObject | Promise<StoredObject>,
    opts?: WriteOptions,
  ): Promise<StoredObject>;
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    opts?: DeleteOptions,
  ): Promise<StoredObject>;
  history(type: ResourceType, namespace: string, name: string): Promise<HistoryEntry[]>;
  /** Events with revision > `after`, in revision order, at most `limit`. Gone if compacted. */
  readEvents(after: number, filter?: Filter, limit?: number): Promise<StoreEvent[]>;
  /** The newest committed revision. */
  currentRevision(): Promise<number>;
  /** Revisions at or below this answer Gone. */
  compactedRevision(): Promise<number>;
  compact(opts: CompactOptions): Promise<{ compactedRevision: number; deletedEvents: number }>;
  /**
   * Called (in this and every other process using the same database and schema) after commits,
   * with the newest committed revision known at that moment. Carried by Postgres LISTEN/NOTIFY:
   * a hint to read the log, never the data itself. Returns an unsubscribe function.
   */
  onCommit(listener: (revision: number) => void): Promise<() => Promise<void>>;
  /**
   * Try to become the single holder of `name` (a Postgres session advisory lock on a dedicated
   * connection): resolves to a lease when won, undefined when another process holds it. The lease
   * is lost when this process dies or its connection drops (`lost` then resolves).
   */
  tryLeadership(name: string): Promise<LeadershipLease | undefined>;
  /** A durable named checkpoint (e.g. the relay's last published revision). */
  getCheckpoint(name: string): Promise<number | undefined>;
  setCheckpoint(name: string, revision: number): Promise<void>;
  close(): Promise<void>;
}

export interface LeadershipLease {
  /** Resolves when the lease is lost (connection dropped). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface StoreOptions {
  /** Postgres connection string. */
  readonly url: string;
  /** Postgres schema holding Bosun's tables (one per test; 'bosun' by default). */
  readonly schema?: string;
  /** Pool size for reads and the group-commit writer (default 8). */
  readonly poolSize?: number;
  /** Most writes one group commit carries (default 500). */
  readonly maxBatch?: number;
  /** Resource types whose extra fields may be used in field selectors, e.g. pods: spec.nodeName. */
  readonly indexedFields?: Readonly<Record<string, readonly string[]>>;
  /** Where to export the store's metrics (batch size, commit latency, queue depth), if anywhere. */
  readonly metricsRegistry?: Registry;
}
