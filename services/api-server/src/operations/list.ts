import { badRequest, type KindInfo } from '@bosun/resource-model';
import type { ListOptions, StoredObject } from '@bosun/store';
import { type ApiContext, withTypeMeta } from '../handlers/context';

/** The list/watch parameters of a request, as strings the way a query carries them. */
export interface ListParams {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: string;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
}

/** Checks list parameters as Kubernetes does and turns them into store list options. */
export function toListOptions(kind: KindInfo, namespace: string, p: ListParams): ListOptions {
  const limit = p.limit ?? null;
  if (limit !== null && !/^\d+$/.test(limit)) throw badRequest(`invalid limit "${limit}"`);
  const rv = p.resourceVersion ?? '';
  const match = p.resourceVersionMatch ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`);
  if (match !== '' && !['Exact', 'NotOlderThan'].includes(match)) {
    throw badRequest(`invalid resourceVersionMatch "${match}": must be Exact or NotOlderThan`);
  }
  if (match !== '' && rv === '')
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match === 'Exact' && rv === '0')
    throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
  return {
    group: kind.group,
    resource: kind.resource,
    namespace: namespace || undefined,
    labelSelector: p.labelSelector || undefined,
    fieldSelector: p.fieldSelector || undefined,
    limit: limit !== null && Number(limit) > 0 ? Number(limit) : undefined,
    continue: p.continue || undefined,
    // Only an exact match reads history; "0" and NotOlderThan are served from the newest state.
    resourceVersion: match === 'Exact' ? rv : undefined,
  };
}

export interface ListPage {
  readonly items: StoredObject[];
  readonly metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/** One page of a collection with the revision it is consistent at. */
export async function listObjects(
  ctx: ApiContext,
  kind: KindInfo,
  opts: ListOptions,
): Promise<ListPage> {
  // An exact revision past the head waits briefly for it, then 504 (as kube-apiserver does).
  if (opts.resourceVersion !== undefined && opts.continue === undefined)
    await ctx.hub.awaitRevision(Number(opts.resourceVersion));
  const result = await ctx.store.list(kind.type, opts);
  const metadata: ListPage['metadata'] = { resourceVersion: String(result.revision) };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined && result.continue) {
    metadata.remainingItemCount = result.remainingItemCount;
  }
  return { items: result.items.map((o) => withTypeMeta(kind, o)), metadata };
}
