import type { Pool } from 'pg';
import { withClient } from './db';
import { badRequest, gone } from '../store-errors';
import type { FieldSelector } from '../selectors/field-selector';
import type { LabelSelector } from '../selectors/label-selector';
import { param, selectorSql } from './selector-sql';
import type { EventType, StoreEvent } from '../contract/event-log';
import type { Filter, StoredObject } from '../contract/objects';

interface EventRowOut {
  compacted: string;
  revision: string | null;
  type: EventType;
  grp: string;
  resource: string;
  namespace: string;
  name: string;
  prev_revision: string;
  actor: string;
  created_at: Date;
  object: StoredObject;
}

/**
 * Events after `after`. The compaction horizon is read in the same statement (one snapshot), so a
 * compaction committing meanwhile cannot silently remove events from the answer.
 */
export async function readEvents(
  pool: Pool,
  after: number,
  filter: Filter,
  labels: LabelSelector,
  fields: FieldSelector,
  limit: number,
): Promise<StoreEvent[]> {
  if (!Number.isSafeInteger(after) || after < 0)
    throw badRequest(`revision must be a non-negative integer, got ${after}`);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw badRequest(`limit must be a positive integer, got ${limit}`);
  const params: unknown[] = [after];
  let where = 'revision > $1';
  for (const [col, v] of [
    ['grp', filter.group],
    ['resource', filter.resource],
    ['namespace', filter.namespace],
    ['name', filter.name],
  ] as const) {
    if (v !== undefined) where += ` AND ${col} = ${param(params, v)}::text`;
  }
  const cols = {
    labels: "coalesce(object->'metadata'->'labels', '{}'::jsonb)",
    object: 'object',
    namespace: 'namespace',
    name: 'name',
  };
  where += ` AND ${selectorSql(cols, params, labels, fields)}`;
  const sql = `SELECT c.revision AS compacted, e.* FROM compaction c LEFT JOIN LATERAL (
      SELECT revision, type, grp, resource, namespace, name, prev_revision, actor, created_at, object
      FROM events WHERE ${where} ORDER BY revision LIMIT ${param(params, limit)}) e ON true`;
  const rows = await withClient(
    pool,
    async (c) => (await c.query(sql, params)).rows as EventRowOut[],
  );
  const compacted = Number(rows[0].compacted);
  if (after < compacted) throw gone(`too old resource version: ${after} (${compacted})`, compacted);
  return rows
    .filter((r) => r.revision !== null)
    .map((r) => ({
      revision: Number(r.revision),
      type: r.type,
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: r.object,
      prevRevision: Number(r.prev_revision),
      actor: r.actor,
      time: r.created_at.toISOString(),
    }));
}
