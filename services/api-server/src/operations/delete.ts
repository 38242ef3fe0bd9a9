import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest, conflict, type KindInfo } from '@bosun/resource-model';
import { retryOnConflict, type Commit, type StoredObject } from '@bosun/store';
import { Operation } from '../admission/admission';
import { type ApiContext, withTypeMeta } from '../handlers/context';
import type { OperationRequest } from './operation';

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: string;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'] as const;
const POLICY_FINALIZER: Record<string, string> = {
  Orphan: 'orphan',
  Foreground: 'foregroundDeletion',
};

export function checkPropagationPolicy(policy: string | undefined): void {
  if (policy !== undefined && !(PROPAGATION_POLICIES as readonly string[]).includes(policy)) {
    throw badRequest(
      `invalid propagationPolicy "${policy}": must be one of ${PROPAGATION_POLICIES.join(', ')}`,
    );
  }
}

function graceFor(kind: KindInfo, obj: StoredObject, opts: DeleteOptions): number {
  // Only pods bound to a node wait for their node agent; everything else goes at once.
  if (kind.resource !== 'pods') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  if (!spec.nodeName) return 0;
  return Math.max(0, opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
}

function checkPreconditions(req: OperationRequest, current: StoredObject, opts: DeleteOptions) {
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      req.kind,
      req.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(current.metadata.uid)}`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      req.kind,
      req.name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${String(current.metadata.resourceVersion)}`,
    );
  }
}

/** A namespace's spec.finalizers (`kubernetes`): cleared through the finalize subresource. */
export function namespaceFinalizers(kind: KindInfo, obj: StoredObject): string[] {
  if (kind.resource !== 'namespaces') return [];
  const spec = obj.spec as { finalizers?: unknown } | undefined;
  return Array.isArray(spec?.finalizers) ? (spec.finalizers as string[]) : [];
}

/**
 * Deletes one object the Kubernetes way: with finalizers (own, or added for the Orphan and
 * Foreground policies) it only gets a deletionTimestamp and stays until they are removed; a bound
 * pod gets a grace period; anything else is removed now. The caller's preconditions are checked
 * against every read; a concurrent write by someone else (a node agent's status, a controller's
 * patch) only makes it read and decide again, as kube-apiserver's GuaranteedUpdate does.
 */
export function deleteOne(
  ctx: ApiContext,
  req: OperationRequest,
  opts: DeleteOptions,
): Promise<StoredObject> {
  return retryOnConflict(async () => {
    const current = await ctx.store.get(req.kind.type, req.namespace, req.name);
    checkPreconditions(req, current, opts);
    await ctx.admission.admit({
      operation: Operation.Delete,
      kind: req.kind,
      subresource: '',
      user: req.user,
      object: current,
      oldObject: current,
    });
    return planDelete(ctx, req, opts, current);
  });
}

/** The one write a delete of `current` makes (guarded by its resourceVersion), or none. */
function planDelete(
  ctx: ApiContext,
  req: OperationRequest,
  opts: DeleteOptions,
  current: StoredObject,
): Commit<StoredObject> {
  const { kind, name } = req;
  const finalizers = new Set((current.metadata.finalizers as string[] | undefined) ?? []);
  const policyFinalizer = opts.propagationPolicy
    ? POLICY_FINALIZER[opts.propagationPolicy]
    : undefined;
  if (policyFinalizer) finalizers.add(policyFinalizer);
  const grace = graceFor(kind, current, opts);
  const common = { actor: req.user.name, dryRun: req.dryRun };
  const resourceVersion = current.metadata.resourceVersion;
  if (finalizers.size === 0 && grace === 0 && namespaceFinalizers(kind, current).length === 0) {
    const uid = current.metadata.uid;
    return () =>
      ctx.store.delete(kind.type, req.namespace, name, { ...common, uid, resourceVersion });
  }
  const had = ((current.metadata.finalizers as string[] | undefined) ?? []).length;
  const terminating = current.metadata.deletionTimestamp !== undefined;
  if (terminating && finalizers.size === had) return () => Promise.resolve(current); // Already on its way out.
  const next = structuredClone(current);
  // A namespace waits in Terminating until the namespace controller emptied and finalized it.
  if (kind.resource === 'namespaces')
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  next.metadata.deletionTimestamp ??= new Date(Date.now() + grace * 1000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  next.metadata.deletionGracePeriodSeconds = grace;
  if (finalizers.size > 0) next.metadata.finalizers = [...finalizers];
  else delete next.metadata.finalizers;
  return () => ctx.store.update(kind.type, next, { ...common, resourceVersion });
}

/** Deletes the named object; answers it as last stored. */
export async function deleteObject(
  ctx: ApiContext,
  req: OperationRequest,
  opts: DeleteOptions,
): Promise<StoredObject> {
  checkPropagationPolicy(opts.propagationPolicy);
  const result = await deleteOne(ctx, req, opts);
  if (req.kind.resource === 'namespaces') ctx.namespaces.forget(req.name);
  return withTypeMeta(req.kind, result);
}

/** Whether an object marked for deletion has nothing left to wait for. */
function deletionDue(kind: KindInfo, obj: StoredObject): boolean {
  const m = obj.metadata;
  const finalizers = (m.finalizers as string[] | undefined) ?? [];
  if (!m.deletionTimestamp || finalizers.length > 0) return false;
  if (namespaceFinalizers(kind, obj).length > 0) return false;
  return !(kind.resource === 'pods' && Number(m.deletionGracePeriodSeconds ?? 0) > 0);
}

/**
 * After an update: an object marked for deletion whose last finalizer went is removed now. A write
 * in between (someone else's) makes it look again; gone already is fine.
 */
export async function finishDeletionIfDue(
  ctx: ApiContext,
  req: OperationRequest,
  obj: StoredObject,
): Promise<StoredObject> {
  if (!deletionDue(req.kind, obj)) return obj;
  const { type } = req.kind;
  try {
    return await retryOnConflict(async (n) => {
      const current = n === 1 ? obj : await ctx.store.get(type, req.namespace, req.name);
      if (!deletionDue(req.kind, current)) return () => Promise.resolve(current);
      const { uid, resourceVersion, name } = current.metadata;
      return () =>
        ctx.store.delete(type, req.namespace, String(name), {
          actor: req.user.name,
          uid,
          resourceVersion,
        });
    });
  } catch (e) {
    if (e instanceof BosunError && e.code === ErrorCode.NotFound) return obj;
    throw e;
  }
}
