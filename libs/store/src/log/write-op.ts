import type { Change } from '../contract/event-log';
import type { ObjectKey, StoredObject } from '../contract/objects';

/** One queued change, answered after the batch carrying it commits (or fails). */
export interface WriteOp extends Change {
  resolve(obj: StoredObject): void;
  reject(err: unknown): void;
}

/** The current projection row of a key, as the batch read it under the counter lock. */
export interface CurrentRow {
  readonly uid: string;
  readonly revision: number;
  readonly createdRevision: number;
  readonly object: StoredObject;
}

export function keyString(k: ObjectKey): string {
  return `${k.group}\u0000${k.resource}\u0000${k.namespace}\u0000${k.name}`;
}
