import type { ListOptions } from '@bosun/store';
import { sendJson } from '../http/respond';
import { getObject as get } from '../operations/get';
import { listObjects as list, toListOptions } from '../operations/list';
import { type ApiContext, operationRequest, type ResourceRequest } from './context';
import { tableOf, wantsTable } from './table';

/** GET of one object (also `status`), as JSON or as a one-row Table. */
export async function getObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = await get(ctx, operationRequest(r));
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
  const param = (k: string): string | undefined => q.get(k) ?? undefined;
  return toListOptions(r.kind, r.namespace, {
    labelSelector: param('labelSelector'),
    fieldSelector: param('fieldSelector'),
    limit: param('limit'),
    continue: param('continue'),
    resourceVersion: param('resourceVersion'),
    resourceVersionMatch: param('resourceVersionMatch'),
  });
}

export async function listObjects(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { items, metadata } = await list(ctx, r.kind, listOptions(r));
  if (wantsTable(r.req.headers.accept)) {
    sendJson(r.res, 200, tableOf(r.kind, items, r.query, metadata));
    return;
  }
  sendJson(r.res, 200, {
    kind: r.kind.listKind,
    apiVersion: r.kind.apiVersion,
    metadata,
    items,
  });
}
