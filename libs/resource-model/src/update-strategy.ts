import type { KindInfo } from './kind-definition';
import { child, isObj, type Obj } from './object-access';

/**
 * What the API server does to an object before defaulting and validating a write (Kubernetes'
 * per-kind "strategies"): which parts a client may set through the main resource and which only
 * through `/status`, and when `metadata.generation` moves. Order on create:
 * prepareForCreate → applyDefaults → validateCreate; on update: prepareForUpdate (or
 * prepareForStatusUpdate) → applyDefaults → validateUpdate.
 */

/** Kinds whose `metadata.generation` counts spec changes (controllers report observedGeneration). */
const GENERATION_KINDS = new Set([
  'apps/v1/Deployment',
  'apps/v1/ReplicaSet',
  'apps/v1/DaemonSet',
  'apps/v1/StatefulSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
]);

/** Node agents register nodes with their status in one create; every other kind starts without. */
const STATUS_ON_CREATE = new Set(['v1/Node']);

const keyOf = (k: KindInfo): string => `${k.apiVersion}/${k.kind}`;
const hasStatus = (k: KindInfo): boolean => k.subresources.some((s) => s.name === 'status');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Everything but metadata and status: what a spec change means for generation. */
function specPart(o: Obj): Obj {
  const rest: Obj = {};
  for (const [k, v] of Object.entries(o)) if (k !== 'metadata' && k !== 'status') rest[k] = v;
  return rest;
}

/** A new object: clients cannot set status where a status subresource exists; generation starts at 1. */
export function prepareForCreate<T extends object>(kind: KindInfo, obj: T): T {
  const o = obj as Obj;
  if (hasStatus(kind) && !STATUS_ON_CREATE.has(keyOf(kind))) delete o['status'];
  const meta = child(o, 'metadata');
  delete meta['deletionTimestamp'];
  delete meta['deletionGracePeriodSeconds'];
  if (GENERATION_KINDS.has(keyOf(kind))) meta['generation'] = 1;
  else delete meta['generation'];
  return obj;
}

/** An update of the main resource: status stays as stored; generation moves with the spec. */
export function prepareForUpdate<T extends object>(kind: KindInfo, obj: T, old: object): T {
  const o = obj as Obj;
  const prev = old as Obj;
  if (hasStatus(kind)) {
    if (prev['status'] === undefined) delete o['status'];
    else o['status'] = structuredClone(prev['status']);
  }
  const meta = child(o, 'metadata');
  const oldMeta = isObj(prev['metadata']) ? prev['metadata'] : {};
  for (const f of [
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'creationTimestamp',
    'uid',
  ] as const) {
    if (oldMeta[f] === undefined) delete meta[f];
    else meta[f] = oldMeta[f];
  }
  if (GENERATION_KINDS.has(keyOf(kind))) {
    const g = typeof oldMeta['generation'] === 'number' ? oldMeta['generation'] : 1;
    meta['generation'] = same(specPart(o), specPart(prev)) ? g : g + 1;
  }
  return obj;
}

/**
 * An update through `/status`: only status changes; spec and the metadata a status writer may
 * not touch (labels, annotations, finalizers, owners, generation) are taken from the stored object.
 */
export function prepareForStatusUpdate<T extends object>(_kind: KindInfo, obj: T, old: object): T {
  const o = obj as Obj;
  const prev = structuredClone(old) as Obj;
  for (const k of Object.keys(o)) if (k !== 'metadata' && k !== 'status') delete o[k];
  for (const [k, v] of Object.entries(prev)) if (k !== 'metadata' && k !== 'status') o[k] = v;
  const meta = child(o, 'metadata');
  const oldMeta = isObj(prev['metadata']) ? prev['metadata'] : {};
  for (const f of [
    'labels',
    'annotations',
    'finalizers',
    'ownerReferences',
    'generation',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'creationTimestamp',
    'uid',
  ]) {
    if (oldMeta[f] === undefined) delete meta[f];
    else meta[f] = oldMeta[f];
  }
  return obj;
}
