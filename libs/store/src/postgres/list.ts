import type { Pool, PoolClient } from 'pg';
import { withClient } from './db';
import { decodeContinue, encodeContinue, type ContinuePosition } from '../continue-token';
import { badRequest, CONTINUE_TOO_OLD, gone, tooLargeResourceVersion } from '../store-errors';
import type { ParsedList } from '../object-store/projection';
import { param, selectorSql } from './selector-sql';
import type { StoredObject } from '../contract/objects';
import type { ListOptions, ListResult } from '../contract/object-store';

const RR = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined || limit === 0) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw badRequest(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}

function parseRevision(rv: string): number {
  if (!/^\d{1,15}$/.test(rv))
    throw badRequest(`resourceVersion ${JSON.stringify(rv)} is not a valid revision`);
  return Number(rv);
}

function page(
  rows: { namespace: string; name: string; object: StoredObject }[],
  rev: number,
  limit?: number,
): ListResult {
  if (limit === undefined || rows.length <= limit)
    return { items: rows.map((r) => r.object), revision: rev };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => r.object),
    revision: rev,
    continue: encodeContinue({ rev, ns: last.namespace, name: last.name }),
  };
}

/** Most recent state: one REPEATABLE READ snapshot of the counter and the projection. */
async function listLatest(c: PoolClient, p: ParsedList): Promise<ListResult> {
  const base: unknown[] = [p.type.group, p.type.resource];
  let where = 'grp = $1 AND resource = $2';
  if (p.namespace) where += ` AND namespace = ${param(base, p.namespace)}`;
  if (p.name) where += ` AND name = ${param(base, p.name)}`;
  const cols = { labels: 'labels', object: 'object', namespace: 'namespace', name: 'name' };
  where += ` AND ${selectorSql(cols, base, p.labels, p.fields)}`;
  const params = [...base];
  const lim = p.limit === undefined ? '' : ` LIMIT ${param(params, p.limit + 1)}`;
  await c.query(RR);
  const rev = Number((await c.query('SELECT value FROM revision_counter')).rows[0].value);
  const res = await c.query(
    `SELECT namespace, name, object FROM objects WHERE ${where} ORDER BY namespace, name${lim}`,
    params,
  );
  const out = page(res.rows, rev, p.limit);
  if (out.continue) {
    // Same snapshot, so the count is exact for the whole list (pages read the log at `rev`).
    const last = res.rows[p.limit! - 1];
    const after = ` AND (namespace, name) > (${param(base, last.namespace)}, ${param(base, last.name)})`;
    const n = await c.query(`SELECT count(*) AS n FROM objects WHERE ${where}${after}`, base);
    await c.query('COMMIT');
    return { ...out, remainingItemCount: Number(n.rows[0].n) };
  }
  await c.query('COMMIT');
  return out;
}

/** The state as of revision `rev` read from the log: latest event per key at or below it. */
async function listAt(
  c: PoolClient,
  p: ParsedList,
  rev: number,
  after: ContinuePosition | undefined,
  gone410: string,
): Promise<ListResult> {
  const params: unknown[] = [p.type.group, p.type.resource, rev];
  let where = 'grp = $1 AND resource = $2 AND revision <= $3';
  if (p.namespace) where += ` AND namespace = ${param(params, p.namespace)}`;
  if (p.name) where += ` AND name = ${param(params, p.name)}`;
  if (after)
    where += ` AND (namespace, name) > (${param(params, after.ns)}, ${param(params, after.name)})`;
  const cols = {
    labels: "coalesce(object->'metadata'->'labels', '{}'::jsonb)",
    object: 'object',
    namespace: 'namespace',
    name: 'name',
  };
  const sel = selectorSql(cols, params, p.labels, p.fields);
  const lim = p.limit === undefined ? '' : ` LIMIT ${param(params, p.limit + 1)}`;
  await c.query(RR);
  const compacted = Number((await c.query('SELECT revision FROM compaction')).rows[0].revision);
  const current = Number((await c.query('SELECT value FROM revision_counter')).rows[0].value);
  if (rev <= compacted) throw gone(gone410, compacted);
  if (rev > current) throw tooLargeResourceVersion(rev, current);
  const res = await c.query(
    `SELECT namespace, name, object FROM (
       SELECT DISTINCT ON (namespace, name) namespace, name, type, object FROM events
       WHERE ${where} ORDER BY namespace, name, revision DESC) t
     WHERE type <> 'DELETED' AND ${sel} ORDER BY namespace, name${lim}`,
    params,
  );
  await c.query('COMMIT');
  return page(res.rows, rev, p.limit);
}

export async function list(
  pool: Pool,
  p: Omit<ParsedList, 'limit'>,
  opts: ListOptions,
): Promise<ListResult> {
  const parsed = { ...p, limit: checkLimit(opts.limit) };
  const token = opts.continue ? decodeContinue(opts.continue) : undefined;
  const rv =
    opts.resourceVersion && opts.resourceVersion !== '0'
      ? parseRevision(opts.resourceVersion)
      : undefined;
  return withClient(pool, (c) => {
    if (token) return listAt(c, parsed, token.rev, token, CONTINUE_TOO_OLD);
    if (rv !== undefined)
      return listAt(c, parsed, rv, undefined, `too old resource version: ${rv}`);
    return listLatest(c, parsed);
  });
}
