import type { ResourceRef } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import {
  defineController,
  IndexName,
  objectKey,
  splitKey,
  type Controller,
  type Informer,
  type KubeObject,
} from '@bosun/controller-kit';
import type { KindInfo, KindRegistry } from '@bosun/resource-model';
import type { ReadPort } from '../ports/read-port';
import type { WritePort } from '../ports/write-port';
import type { ObjectMeta, OwnerRef } from '../workloads/types';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';

/** The kinds whose owner references the collector follows (those present in the registry). */
export const GC_RESOURCES = [
  'pods',
  'replicasets',
  'deployments',
  'daemonsets',
  'statefulsets',
  'jobs',
  'cronjobs',
  'configmaps',
  'secrets',
  'services',
  'endpoints',
  'endpointslices',
  'persistentvolumeclaims',
  'serviceaccounts',
] as const;

export const Finalizer = { Orphan: 'orphan', Foreground: 'foregroundDeletion' } as const;

type Obj = KubeObject & { metadata: ObjectMeta };
interface Watched {
  readonly kind: KindInfo;
  readonly ref: ResourceRef;
  readonly informer: Informer<Obj>;
}
export interface GcDeps {
  readonly watched: Map<string, Watched>;
  readonly kinds: KindRegistry;
  readonly writer: WritePort;
  readonly reader: ReadPort;
}

const gr = (k: { group: string; resource: string }) => `${k.group}/${k.resource}`;
const gcKey = (w: Watched, obj: KubeObject) => `${gr(w.kind)}|${objectKey(obj)}`;
const refOf = (k: KindInfo): ResourceRef => ({
  group: k.group,
  version: k.version,
  resource: k.resource,
});

/**
 * Garbage collection by owner references, as Kubernetes does it: a dependent whose owners are all
 * gone is deleted (background); an owner deleted in the foreground (`foregroundDeletion`
 * finalizer) waits until its blocking dependents are gone; an owner deleted with `orphan` first
 * frees its dependents. An owner missing from the cache is confirmed by a live read before
 * anything is deleted, since caches of different kinds lag each other.
 */
export function garbageCollectorController(ctx: ControllerContext): Controller {
  const watched = new Map<string, Watched>();
  for (const resource of GC_RESOURCES) {
    const kind = ctx.kinds
      .kinds()
      .find((k) => k.resource === resource && k.group !== 'events.k8s.io');
    if (!kind) continue;
    const ref = refOf(kind);
    watched.set(gr(kind), { kind, ref, informer: ctx.informers.for<Obj>(ref) });
  }
  const deps: GcDeps = { watched, kinds: ctx.kinds, writer: ctx.writer, reader: ctx.reader };
  const byInformer = new Map<unknown, Watched>([...watched.values()].map((w) => [w.informer, w]));
  const controller = defineController({
    ...kitOptions(ctx, 'garbage-collector'),
    informers: [...watched.values()].map((w) => w.informer),
    keyOf: (obj, informer) => {
      const w = byInformer.get(informer);
      const m = obj.metadata as ObjectMeta;
      const relevant = (m.ownerReferences?.length ?? 0) > 0 || hasGcFinalizer(m);
      return w && relevant ? [gcKey(w, obj), ...waitingOwnerKeys(obj as Obj, deps)] : undefined;
    },
    reconcile: (key) => reconcileGarbage(key, deps),
  });
  // A deleted object leaves its dependents dangling: look at each of them again.
  for (const w of watched.values()) {
    w.informer.addEventHandler({
      onDelete: (obj) => {
        for (const [k] of dependentsOf(obj.metadata.uid ?? '', deps)) controller.queue.add(k);
      },
    });
  }
  return controller;
}

const hasGcFinalizer = (m: ObjectMeta) =>
  m.deletionTimestamp !== undefined &&
  (m.finalizers ?? []).some((f) => f === Finalizer.Orphan || f === Finalizer.Foreground);

/** Every cached object that names `uid` as an owner, keyed by its GC key. */
function dependentsOf(uid: string, deps: GcDeps): Map<string, { w: Watched; obj: Obj }> {
  const out = new Map<string, { w: Watched; obj: Obj }>();
  if (!uid) return out;
  for (const w of deps.watched.values()) {
    for (const obj of w.informer.byIndex(IndexName.Owner, uid)) out.set(gcKey(w, obj), { w, obj });
  }
  return out;
}

/** Owners in foreground deletion re-check their blocking dependents when one changes. */
function waitingOwnerKeys(obj: Obj, deps: GcDeps): string[] {
  const keys: string[] = [];
  for (const ref of obj.metadata.ownerReferences ?? []) {
    const found = cachedOwner(ref, obj.metadata.namespace ?? '', deps);
    if (found && hasGcFinalizer(found.obj.metadata)) keys.push(gcKey(found.w, found.obj));
  }
  return keys;
}

function ownerKind(ref: OwnerRef, deps: GcDeps): KindInfo | undefined {
  return ref.apiVersion && ref.kind
    ? deps.kinds.byApiVersionKind(ref.apiVersion, ref.kind)
    : undefined;
}

function cachedOwner(ref: OwnerRef, ns: string, deps: GcDeps) {
  const kind = ownerKind(ref, deps);
  const w = kind && deps.watched.get(gr(kind));
  const obj = w?.informer.getBy(kind?.namespaced ? ns : '', ref.name ?? '');
  return w && obj && obj.metadata.uid === ref.uid ? { w, obj } : undefined;
}

const OwnerState = { Absent: 'absent', Present: 'present', Waiting: 'waiting' } as const;
type OwnerState = (typeof OwnerState)[keyof typeof OwnerState];

async function ownerState(ref: OwnerRef, ns: string, deps: GcDeps): Promise<OwnerState> {
  const kind = ownerKind(ref, deps);
  // An owner of a kind we cannot look up is never presumed gone.
  if (!kind) return OwnerState.Present;
  let owner: KubeObject | undefined = cachedOwner(ref, ns, deps)?.obj;
  if (!owner) {
    owner = await deps.reader.get(refOf(kind), kind.namespaced ? ns : '', ref.name ?? '');
    if (!owner || owner.metadata.uid !== ref.uid) return OwnerState.Absent;
  }
  const m = owner.metadata as ObjectMeta;
  return m.deletionTimestamp && (m.finalizers ?? []).includes(Finalizer.Foreground)
    ? OwnerState.Waiting
    : OwnerState.Present;
}

export async function reconcileGarbage(key: string, deps: GcDeps): Promise<void> {
  const bar = key.indexOf('|');
  const w = deps.watched.get(key.slice(0, bar));
  const obj = w?.informer.get(key.slice(bar + 1));
  if (!w || !obj) return;
  const m = obj.metadata;
  if (m.deletionTimestamp && (m.finalizers ?? []).includes(Finalizer.Orphan)) {
    return orphanDependents(w, obj, deps);
  }
  if (m.deletionTimestamp && (m.finalizers ?? []).includes(Finalizer.Foreground)) {
    await deleteDependentsFirst(w, obj, deps);
  }
  if ((m.ownerReferences?.length ?? 0) > 0) await checkOwners(w, obj, deps);
}

async function removeFinalizer(w: Watched, obj: Obj, finalizer: string, deps: GcDeps) {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const { namespace, name } = splitKey(objectKey(obj));
  await deps.writer.patch(w.ref, namespace, name, {
    metadata: {
      finalizers: rest.length ? rest : null,
      resourceVersion: obj.metadata.resourceVersion,
    },
  });
}

async function setOwners(w: Watched, obj: Obj, refs: OwnerRef[], deps: GcDeps) {
  await deps.writer.patch(w.ref, obj.metadata.namespace ?? '', obj.metadata.name ?? '', {
    metadata: {
      ownerReferences: refs.length ? refs : null,
      resourceVersion: obj.metadata.resourceVersion,
    },
  });
}

async function orphanDependents(w: Watched, owner: Obj, deps: GcDeps): Promise<void> {
  const uid = owner.metadata.uid ?? '';
  for (const { w: dw, obj } of dependentsOf(uid, deps).values()) {
    const rest = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    await setOwners(dw, obj, rest, deps);
  }
  await removeFinalizer(w, owner, Finalizer.Orphan, deps);
}

/** Deletes the owner's dependents; once none that blocks it remains, lets the owner go. */
async function deleteDependentsFirst(w: Watched, owner: Obj, deps: GcDeps): Promise<void> {
  const uid = owner.metadata.uid ?? '';
  let blocking = 0;
  for (const { w: dw, obj } of dependentsOf(uid, deps).values()) {
    const ref = (obj.metadata.ownerReferences as OwnerRef[] | undefined)?.find(
      (r) => r.uid === uid,
    );
    if (ref?.blockOwnerDeletion) blocking++;
    if (obj.metadata.deletionTimestamp) continue;
    await deleteDependent(dw, obj, deps, true);
  }
  if (blocking === 0) await removeFinalizer(w, owner, Finalizer.Foreground, deps);
}

/** In the foreground when it has dependents of its own (they go first), else plainly. */
async function deleteDependent(w: Watched, obj: Obj, deps: GcDeps, foreground: boolean) {
  const hasOwn = dependentsOf(obj.metadata.uid ?? '', deps).size > 0;
  try {
    await deps.writer.delete(w.ref, obj.metadata.namespace ?? '', obj.metadata.name ?? '', {
      propagationPolicy: foreground && hasOwn ? 'Foreground' : undefined,
      uid: obj.metadata.uid,
    });
  } catch (e) {
    if (!isBosunError(e, ErrorCode.NotFound)) throw e;
  }
}

async function checkOwners(w: Watched, obj: Obj, deps: GcDeps): Promise<void> {
  const refs = obj.metadata.ownerReferences ?? [];
  const ns = obj.metadata.namespace ?? '';
  const states = await Promise.all(refs.map((r) => ownerState(r, ns, deps)));
  const live = refs.filter((_, i) => states[i] !== OwnerState.Absent);
  if (live.length === 0) {
    if (!obj.metadata.deletionTimestamp) await deleteDependent(w, obj, deps, false);
    return;
  }
  if (live.length < refs.length) {
    await setOwners(w, obj, live, deps);
    return;
  }
  const allWaiting = states.every((s) => s === OwnerState.Waiting);
  if (allWaiting && !obj.metadata.deletionTimestamp) await deleteDependent(w, obj, deps, true);
}
