import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, notFound } from '../store-errors';
import { ChangeKind, EventType, type Change } from '../contract/event-log';
import type { StoredObject } from '../contract/objects';
import { keyString, type CurrentRow, type WriteOp } from './write-op';

/** An event row to insert; the projection row is derived from it in SQL. */
export interface EventRow {
  readonly revision: number;
  readonly type: EventType;
  readonly grp: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly prev_revision: number;
  readonly actor: string;
  readonly created_revision: number;
  readonly object: StoredObject;
}

export type OpOutcome = { ok: StoredObject } | { err: Error };

/** RFC 3339 in UTC without fractional seconds, as Kubernetes' metav1.Time serializes. */
export function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function uidConflict(type: Change['type'], name: string, want: string, have: string): Error {
  return conflict(
    type,
    name,
    `Precondition failed: UID in precondition: ${want}, UID in object meta: ${have}`,
  );
}

interface Applied {
  readonly event: EventRow;
  readonly next: CurrentRow | null;
}

/** Applies one change to the in-memory state of its key; throws the change's own error. */
export function applyOp(op: Change, cur: CurrentRow | null, revision: number): Applied {
  const { key, type } = op;
  const base = {
    grp: key.group,
    resource: key.resource,
    namespace: key.namespace,
    name: key.name,
    actor: op.actor,
  };
  const rv = String(revision);
  if (op.kind === ChangeKind.Create) {
    if (cur) throw alreadyExists(type, key.name);
    const m = op.obj!.metadata;
    const object = {
      ...op.obj!,
      metadata: {
        ...m,
        name: key.name,
        uid: randomUUID(),
        creationTimestamp: rfc3339Now(),
        resourceVersion: rv,
      },
    } as StoredObject;
    if (type.namespaced) object.metadata.namespace = key.namespace;
    const next = { uid: object.metadata.uid!, revision, createdRevision: revision, object };
    return {
      event: {
        ...base,
        revision,
        type: EventType.Added,
        prev_revision: 0,
        created_revision: revision,
        object,
      },
      next,
    };
  }
  if (!cur) throw notFound(type, key.name);
  if (op.kind === ChangeKind.Update) {
    const want = op.resourceVersion || op.obj!.metadata.resourceVersion;
    if (want && want !== String(cur.revision)) throw conflict(type, key.name);
    // A uid in the body is a precondition (as in Kubernetes): never update a recreated object.
    const uid = op.obj!.metadata.uid;
    if (uid && uid !== cur.uid) throw uidConflict(type, key.name, uid, cur.uid);
    const m = op.obj!.metadata;
    const cm = cur.object.metadata;
    const object = {
      ...op.obj!,
      metadata: {
        ...m,
        name: key.name,
        uid: cm.uid,
        creationTimestamp: cm.creationTimestamp,
        resourceVersion: rv,
      },
    } as StoredObject;
    if (type.namespaced) object.metadata.namespace = key.namespace;
    const next = { uid: cur.uid, revision, createdRevision: cur.createdRevision, object };
    const event = {
      ...base,
      revision,
      type: EventType.Modified,
      prev_revision: cur.revision,
      created_revision: cur.createdRevision,
      object,
    };
    return { event, next };
  }
  if (op.uid && op.uid !== cur.uid) throw uidConflict(type, key.name, op.uid, cur.uid);
  if (op.resourceVersion && op.resourceVersion !== String(cur.revision))
    throw conflict(type, key.name);
  const object = {
    ...cur.object,
    metadata: { ...cur.object.metadata, resourceVersion: rv },
  } as StoredObject;
  const event = {
    ...base,
    revision,
    type: EventType.Deleted,
    prev_revision: cur.revision,
    created_revision: cur.createdRevision,
    object,
  };
  return { event, next: null };
}

/**
 * Decides every op of a batch in queue order against the rows read under the counter lock.
 * Failed ops consume no revision, so the committed revisions stay gapless.
 */
export function planBatch(
  ops: readonly WriteOp[],
  current: Map<string, CurrentRow | null>,
  baseRevision: number,
): { events: EventRow[]; outcomes: OpOutcome[] } {
  const state = new Map(current);
  const events: EventRow[] = [];
  const outcomes: OpOutcome[] = [];
  for (const op of ops) {
    const k = keyString(op.key);
    try {
      const applied = applyOp(op, state.get(k) ?? null, baseRevision + events.length + 1);
      events.push(applied.event);
      state.set(k, applied.next);
      outcomes.push({ ok: applied.event.object });
    } catch (e) {
      outcomes.push({ err: e as Error });
    }
  }
  return { events, outcomes };
}
