import type { Filter, ObjectKey, ResourceType, StoredObject } from './objects';

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

export const ChangeKind = { Create: 'create', Update: 'update', Delete: 'delete' } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

/**
 * A change to append, with its preconditions. The log decides it against the key's state at the
 * head of the log (exists? resourceVersion? uid?) and stamps uid, creationTimestamp and
 * resourceVersion. Shape, key and size are the caller's to validate (the `ObjectStore` does).
 */
export interface Change {
  readonly kind: ChangeKind;
  readonly type: ResourceType;
  readonly key: ObjectKey;
  /** The new object (create and update). */
  readonly obj?: StoredObject;
  readonly actor: string;
  /** update/delete precondition; '' or undefined = none. */
  readonly resourceVersion?: string;
  /** delete precondition. */
  readonly uid?: string;
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

export interface CompactResult {
  readonly compactedRevision: number;
  readonly deletedEvents: number;
}

/**
 * The append-only log: every committed change is one event with a gapless, strictly increasing
 * revision (I2), visible in commit order (I3), kept until compaction (I6). Everything else — the
 * projection, the relay, every watch — is derived from it.
 */
export interface EventLog {
  /**
   * Appends one change; resolves with the stored object only after its transaction committed (I1).
   * A change that fails its preconditions is answered alone and consumes no revision (I5).
   * Concurrent appends are group-committed: they share one transaction.
   */
  append(change: Change): Promise<StoredObject>;
  /** Events with revision > `after`, in revision order, at most `limit`. Gone if compacted. */
  readEvents(after: number, filter?: Filter, limit?: number): Promise<StoreEvent[]>;
  /** The newest committed revision. */
  currentRevision(): Promise<number>;
  /** Revisions at or below this answer Gone. */
  compactedRevision(): Promise<number>;
  compact(opts: CompactOptions): Promise<CompactResult>;
  /** Every surviving event of one key, oldest first (who changed it, when, to what). */
  history(type: ResourceType, namespace: string, name: string): Promise<HistoryEntry[]>;
  /**
   * Called (in this and every other process appending to the same log) after commits, with the
   * newest committed revision known at that moment: a hint to read the log, never the data itself,
   * and lost notifications are made up by a later one. Returns an unsubscribe function.
   */
  onCommit(listener: (revision: number) => void): Promise<() => Promise<void>>;
}
