import type { ServerResponse } from 'node:http';
import type { ObjectHistory } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import { withTypeMeta, type ApiContext } from '../handlers/context';
import { sendJson } from '../http/respond';
import { resourceNotFound } from '../operations/target';

export interface HistoryTarget {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly name: string;
}

/**
 * Every recorded version of one object, oldest first, across delete and re-create of the name:
 * who (the authenticated user), when (commit time), what (the whole object).
 */
export async function serveObjectHistory(
  ctx: ApiContext,
  res: ServerResponse,
  target: HistoryTarget,
  namespaceParam: string | null,
): Promise<void> {
  const kind = ctx.registry.byResource(target.group, target.version, target.resource);
  if (!kind) throw resourceNotFound();
  const namespace = namespaceParam ?? '';
  if (kind.namespaced && namespace === '')
    throw new BosunError(
      ErrorCode.BadRequest,
      `${kind.resource} are namespaced: the namespace query parameter is required`,
    );
  if (!kind.namespaced && namespace !== '')
    throw new BosunError(
      ErrorCode.BadRequest,
      `${kind.resource} are cluster-scoped: leave the namespace query parameter out`,
    );
  // The horizon first: the entries read after it are at least that compacted, so the answer never
  // claims less compaction than its items show (read in parallel, a compaction in between could).
  const compactedRevision = await ctx.store.compactedRevision();
  const entries = await ctx.store.history(kind.type, namespace, target.name);
  const body: ObjectHistory = {
    apiVersion: 'bosun.dev/v1',
    kind: 'ObjectHistory',
    resource: { group: kind.group, version: kind.version, resource: kind.resource },
    namespace,
    name: target.name,
    compactedRevision,
    items: entries.map((e) => ({
      revision: e.revision,
      type: e.type,
      actor: e.actor,
      time: e.time,
      object: withTypeMeta(kind, e.object),
    })),
  };
  sendJson(res, 200, body);
}
