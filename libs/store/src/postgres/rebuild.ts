import type { Pool } from 'pg';
import { withClient } from './db';

/*
 * The projection as the log defines it: the latest event of every key, unless it is a DELETED.
 * created_revision is bookkeeping the log may no longer prove after compaction (the ADDED event can
 * be gone), so it is kept from the existing row when the uid matches and is not compared.
 */
const FROM_LOG = `SELECT DISTINCT ON (grp, resource, namespace, name) grp, resource, namespace, name,
    type, revision, object, object->'metadata'->>'uid' AS uid,
    coalesce(object->'metadata'->'labels', '{}'::jsonb) AS labels
  FROM events ORDER BY grp, resource, namespace, name, revision DESC`;

const DIFF_SQL = `WITH log AS (SELECT * FROM (${FROM_LOG}) l WHERE type <> 'DELETED')
  SELECT coalesce(l.grp, o.grp) AS grp, coalesce(l.resource, o.resource) AS resource,
    coalesce(l.namespace, o.namespace) AS namespace, coalesce(l.name, o.name) AS name,
    CASE WHEN o.name IS NULL THEN 'missing' WHEN l.name IS NULL THEN 'extra' ELSE 'different' END AS problem
  FROM log l FULL OUTER JOIN objects o ON l.grp = o.grp AND l.resource = o.resource
    AND l.namespace = o.namespace AND l.name = o.name
  WHERE o.name IS NULL OR l.name IS NULL OR l.object::text <> o.object::text
    OR l.revision <> o.revision OR l.uid IS DISTINCT FROM o.uid OR l.labels::text <> o.labels::text
  ORDER BY 1, 2, 3, 4`;

const REBUILD_SQL = `WITH log AS (SELECT * FROM (${FROM_LOG}) l WHERE type <> 'DELETED'),
  firsts AS (SELECT e.grp, e.resource, e.namespace, e.name, min(e.revision) AS rev
    FROM events e JOIN log l USING (grp, resource, namespace, name)
    WHERE e.object->'metadata'->>'uid' = l.uid GROUP BY 1, 2, 3, 4),
  old AS (DELETE FROM objects RETURNING grp, resource, namespace, name, uid, created_revision)
  INSERT INTO objects (grp, resource, namespace, name, uid, revision, created_revision, object, labels)
  SELECT l.grp, l.resource, l.namespace, l.name, l.uid, l.revision,
    coalesce(old.created_revision, f.rev), l.object, l.labels
  FROM log l JOIN firsts f USING (grp, resource, namespace, name)
  LEFT JOIN old ON old.grp = l.grp AND old.resource = l.resource AND old.namespace = l.namespace
    AND old.name = l.name AND old.uid = l.uid`;

export interface ProjectionDifference {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  /** missing: in the log, not in objects; extra: the reverse; different: content differs. */
  readonly problem: 'missing' | 'extra' | 'different';
}

export interface RebuildResult {
  readonly differences: ProjectionDifference[];
  /** True when the projection was replaced (rebuild mode with differences). */
  readonly rebuilt: boolean;
}

/**
 * Compares the projection with the log byte for byte (object::text, revision, uid, labels) and,
 * unless `check`, replaces it in one transaction that also holds the revision lock, so no write
 * interleaves.
 */
export async function rebuildProjection(
  store: { readonly pool: Pool },
  opts: { check: boolean },
): Promise<RebuildResult> {
  return withClient(store.pool, async (c) => {
    await c.query(opts.check ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    await c.query('SET LOCAL statement_timeout = 0'); // an operator's command over the whole log
    if (!opts.check) await c.query('SELECT value FROM revision_counter FOR UPDATE');
    const diff = await c.query(DIFF_SQL);
    const differences = diff.rows.map((r) => ({
      group: r.grp,
      resource: r.resource,
      namespace: r.namespace,
      name: r.name,
      problem: r.problem,
    }));
    if (!opts.check && differences.length) await c.query(REBUILD_SQL);
    await c.query('COMMIT');
    return { differences, rebuilt: !opts.check && differences.length > 0 };
  });
}
