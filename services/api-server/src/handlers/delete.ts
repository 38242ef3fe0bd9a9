import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { contentTypeOf, decodeBody, isPlainObject, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import {
  checkPropagationPolicy,
  deleteObject as remove,
  deleteOne,
  type DeleteOptions,
} from '../operations/delete';
import {
  type ApiContext,
  isDryRun,
  operationRequest,
  type ResourceRequest,
  withTypeMeta,
} from './context';
import { listOptions } from './read';

/** DeleteOptions from the query and (kubectl sends one) the body, with the body's dryRun. */
export async function readDeleteOptions(
  r: ResourceRequest,
): Promise<DeleteOptions & { readonly dryRun: boolean }> {
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
  checkPropagationPolicy(policy === undefined ? undefined : String(policy));
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

export async function deleteObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const opts = await readDeleteOptions(r);
  const result = await remove(ctx, { ...operationRequest(r), dryRun: opts.dryRun }, opts);
  sendJson(r.res, 200, result);
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
    const req = {
      ...operationRequest(r, String(o.metadata.name)),
      namespace: String(o.metadata.namespace ?? ''),
      dryRun: opts.dryRun,
    };
    try {
      deleted.push(withTypeMeta(r.kind, await deleteOne(ctx, req, opts)));
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
