import { badRequest } from '@bosun/resource-model';
import type { ListOptions, StoredObject } from '@bosun/store';
import { sendJson } from '../http/respond';
import { type ApiContext, type ResourceRequest, withTypeMeta } from './context';
import { tableOf, wantsTable } from './table';

/** GET of one object (also `status`), as JSON or as a one-row Table. */
export async function getObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = withTypeMeta(r.kind, await ctx.store.get(r.kind.type, r.namespace, r.info.name));
  if (wantsTable(r.req.headers.accept)) {
    sendJson(
      r.res,
      200,
      tableOf(r.kind, [obj], r.query, { resourceVersion: obj.metadata.resourceVersion }),
    );
    return;
  }
  sendJson(r.res, 200, obj);
}

/** The store list options a list or watch request asks for. */
export function listOptions(r: ResourceRequest): ListOptions {
  const q = r.query;
  const limit = q.get('limit');
  if (limit !== null && !/^\d+$/.test(limit)) throw badRequest(`invalid limit "${limit}"`);
  const rv = q.get('resourceVersion') ?? '';
  const match = q.get('resourceVersionMatch') ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`);
  if (match !== '' && !['Exact', 'NotOlderThan'].includes(match)) {
    throw badRequest(`invalid resourceVersionMatch "${match}": must be Exact or NotOlderThan`);
  }
  if (match !== '' && rv === '')
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match === 'Exact' && rv === '0')
    throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
  return {
    group: r.kind.group,
    resource: r.kind.resource,
    namespace: r.namespace || undefined,
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit !== null && Number(limit) > 0 ? Number(limit) : undefined,
    continue: q.get('continue') || undefined,
    // Only an exact match reads history; "0" and NotOlderThan are served from the newest state.
    resourceVersion: match === 'Exact' ? rv : undefined,
  };
}

export async function listObjects(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const result = await ctx.store.list(r.kind.type, listOptions(r));
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: String(result.revision),
  };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined && result.continue) {
    meta.remainingItemCount = result.remainingItemCount;
  }
  const items: StoredObject[] = result.items.map((o) => withTypeMeta(r.kind, o));
  if (wantsTable(r.req.headers.accept)) {
    sendJson(r.res, 200, tableOf(r.kind, items, r.query, meta));
    return;
  }
  sendJson(r.res, 200, {
    kind: r.kind.listKind,
    apiVersion: r.kind.apiVersion,
    metadata: meta,
    items,
  });
}
