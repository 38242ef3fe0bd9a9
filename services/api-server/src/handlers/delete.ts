import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest, conflict } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { Operation } from '../admission/admission';
import { contentTypeOf, decodeBody, isPlainObject, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { type ApiContext, isDryRun, type ResourceRequest, withTypeMeta } from './context';
import { listOptions } from './read';

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: string;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun: boolean;
}

const POLICIES = ['Orphan', 'Background', 'Foreground'];
const POLICY_FINALIZER: Record<string, string> = {
  Orphan: 'orphan',
  Foreground: 'foregroundDeletion',
};

/** DeleteOptions from the query and (kubectl sends one) the body. */
export async function readDeleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const raw = await readBody(r.req);
  let body: Record<string, unknown> = {};
  if (raw.length > 0 && raw.toString().trim() !== '') {
    const decoded = decodeBody(raw, contentTypeOf(r.req));
    if (!isPlainObject(decoded)) throw badRequest('DeleteOptions must be an object');
    // An Eviction carries its DeleteOptions inside.
    body =
      decoded.kind === 'Eviction' && isPlainObject(decoded.deleteOptions)
        ? decoded.deleteOptions
        : decoded;
  }
  const q = r.query;
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const policy =
    q.get('propagationPolicy') ??
    body.propagationPolicy ??
    (q.get('orphanDependents') === 'true' || body.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !POLICIES.includes(String(policy))) {
    throw badRequest(
      `invalid propagationPolicy "${String(policy)}": must be one of ${POLICIES.join(', ')}`,
    );
  }
  if (grace !== undefined && grace !== null && !/^-?\d+$/.test(String(grace)))
    throw badRequest('invalid gracePeriodSeconds');
  const pre = isPlainObject(body.preconditions) ? body.preconditions : {};
  const dryRunBody = Array.isArray(body.dryRun) && body.dryRun.includes('All');
  return {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy === undefined ? undefined : String(policy),
    preconditions: {
      uid: typeof pre.uid === 'string' ? pre.uid : undefined,
      resourceVersion: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
    },
    dryRun: isDryRun(q) || dryRunBody,
  };
}

function graceFor(r: ResourceRequest, obj: StoredObject, opts: DeleteOptions): number {
  // Only pods bound to a node wait for their node agent; everything else goes at once.
  if (r.kind.resource !== 'pods') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  if (!spec.nodeName) return 0;
  return Math.max(0, opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
}

/**
 * Deletes one object the Kubernetes way: with finalizers (own, or added for the Orphan and
 * Foreground policies) it only gets a deletionTimestamp and stays until they are removed; a bound
 * pod gets a grace period; anything else is removed now.
 */
export async function deleteOne(
  ctx: ApiContext,
  r: ResourceRequest,
  name: string,
  opts: DeleteOptions,
): Promise<StoredObject> {
  const type = r.kind.type;
  const current = await ctx.store.get(type, r.namespace, name);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      r.kind,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(current.metadata.uid)}`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      r.kind,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${String(current.metadata.resourceVersion)}`,
    );
  }
  await ctx.admission.admit({
    operation: Operation.Delete,
    kind: r.kind,
    subresource: '',
    user: r.user,
    object: current,
    oldObject: current,
  });
  const finalizers = new Set((current.metadata.finalizers as string[] | undefined) ?? []);
  const policyFinalizer = opts.propagationPolicy
    ? POLICY_FINALIZER[opts.propagationPolicy]
    : undefined;
  if (policyFinalizer) finalizers.add(policyFinalizer);
  const grace = graceFor(r, current, opts);
  const common = { actor: r.user.name, dryRun: opts.dryRun };
  const terminating = current.metadata.deletionTimestamp !== undefined;
  if (finalizers.size === 0 && grace === 0) {
    const pre = { uid: current.metadata.uid, resourceVersion: current.metadata.resourceVersion };
    return ctx.store.delete(type, r.namespace, name, { ...common, ...pre });
  }
  const had = ((current.metadata.finalizers as string[] | undefined) ?? []).length;
  if (terminating && finalizers.size === had) return current; // Already on its way out.
  const next = structuredClone(current);
  next.metadata.deletionTimestamp ??= new Date(Date.now() + grace * 1000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  next.metadata.deletionGracePeriodSeconds = grace;
  if (finalizers.size > 0) next.metadata.finalizers = [...finalizers];
  else delete next.metadata.finalizers;
  return ctx.store.update(type, next, {
    ...common,
    resourceVersion: current.metadata.resourceVersion,
  });
}

/** After an update: an object marked for deletion whose last finalizer went is removed now. */
export async function finishDeletionIfDue(
  ctx: ApiContext,
  r: ResourceRequest,
  obj: StoredObject,
): Promise<StoredObject> {
  const m = obj.metadata;
  const finalizers = (m.finalizers as string[] | undefined) ?? [];
  if (!m.deletionTimestamp || finalizers.length > 0) return obj;
  if (r.kind.resource === 'pods' && Number(m.deletionGracePeriodSeconds ?? 0) > 0) return obj;
  try {
    return await ctx.store.delete(r.kind.type, r.namespace, String(m.name), {
      actor: r.user.name,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
    });
  } catch (e) {
    if (e instanceof BosunError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.Conflict))
      return obj;
    throw e;
  }
}

export async function deleteObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const opts = await readDeleteOptions(r);
  const result = await deleteOne(ctx, r, r.info.name, opts);
  if (r.kind.resource === 'namespaces') ctx.namespaces.forget(r.info.name);
  sendJson(r.res, 200, withTypeMeta(r.kind, result));
}

export async function deleteCollection(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const opts = await readDeleteOptions(r);
  const listed = await ctx.store.list(r.kind.type, {
    ...listOptions(r),
    limit: undefined,
    continue: undefined,
  });
  const deleted: StoredObject[] = [];
  for (const o of listed.items) {
    try {
      deleted.push(
        withTypeMeta(
          r.kind,
          await deleteOne(
            ctx,
            { ...r, namespace: String(o.metadata.namespace ?? '') },
            String(o.metadata.name),
            opts,
          ),
        ),
      );
    } catch (e) {
      if (!(e instanceof BosunError && e.code === ErrorCode.NotFound)) throw e;
    }
  }
  sendJson(r.res, 200, {
    kind: r.kind.listKind,
    apiVersion: r.kind.apiVersion,
    metadata: {},
    items: deleted,
  });
}
