import type { ObjectKey, ResourceType, StoredObject } from '../contract/objects';

export const WriteKind = { Create: 'create', Update: 'update', Delete: 'delete' } as const;
export type WriteKind = (typeof WriteKind)[keyof typeof WriteKind];

/** One queued write, answered after the batch carrying it commits (or fails). */
export interface WriteOp {
  readonly kind: WriteKind;
  readonly type: ResourceType;
  readonly key: ObjectKey;
  readonly obj?: StoredObject;
  readonly actor: string;
  /** update/delete precondition; '' or undefined = none. */
  readonly resourceVersion?: string;
  /** delete precondition. */
  readonly uid?: string;
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
