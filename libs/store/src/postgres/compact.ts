import type { Pool } from 'pg';
import { withClient } from './db';
import { badRequest } from '../store-errors';
import type { CompactOptions, CompactResult } from '../contract/event-log';

/*
 * Compaction at horizon H keeps, for every key, its state as of H (etcd's semantics): an event at
 * or below H goes when a later event of the same key at or below H supersedes it, and a key whose
 * last event at or below H is DELETED loses all its events up to H. Reads as of any revision >= H
 * therefore stay exact, and the latest event of every live key survives, so the projection can
 * always be rebuilt from the log (I6).
 */
const DELETE_SQL = `DELETE FROM events WHERE revision IN (
  SELECT revision FROM (
    SELECT revision, type, row_number() OVER (
      PARTITION BY grp, resource, namespace, name ORDER BY revision DESC) AS rn
    FROM events WHERE revision <= $1) t
  WHERE rn > 1 OR type = 'DELETED')`;

function checkBound(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
    throw badRequest(`${name} must be a non-negative integer`);
}

export async function compact(pool: Pool, opts: CompactOptions): Promise<CompactResult> {
  checkBound('keepRevisions', opts.keepRevisions);
  checkBound('keepMs', opts.keepMs);
  return withClient(pool, async (c) => {
    await c.query('BEGIN');
    // Maintenance over the whole log, not a request's read: a big delete may take its time.
    await c.query('SET LOCAL statement_timeout = 0');
    // Locking the horizon row serializes compactions; writers never touch it.
    const prev = Number(
      (await c.query('SELECT revision FROM compaction FOR UPDATE')).rows[0].revision,
    );
    const current = Number((await c.query('SELECT value FROM revision_counter')).rows[0].value);
    let horizon = current;
    if (opts.keepRevisions !== undefined) horizon = Math.min(horizon, current - opts.keepRevisions);
    if (opts.keepMs !== undefined) {
      const r = await c.query(
        `SELECT coalesce(max(revision), 0) AS rev FROM events WHERE created_at < now() - make_interval(secs => $1::float8 / 1000)`,
        [opts.keepMs],
      );
      horizon = Math.min(horizon, Number(r.rows[0].rev));
    }
    if (horizon <= prev) {
      await c.query('COMMIT');
      return { compactedRevision: prev, deletedEvents: 0 };
    }
    const del = await c.query(DELETE_SQL, [horizon]);
    await c.query('UPDATE compaction SET revision = $1', [horizon]);
    await c.query('COMMIT');
    return { compactedRevision: horizon, deletedEvents: del.rowCount ?? 0 };
  });
}
