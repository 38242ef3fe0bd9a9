import type { Pool } from 'pg';
import type { ObjectKey, StoredObject } from '../contract/objects';
import type { ListOptions, ListResult } from '../contract/object-store';
import type { CurrentRow } from '../log/write-op';
import type { ParsedList, Projection } from '../object-store/projection';
import { query } from './db';
import { list } from './list';

const READ_ROW_SQL =
  'SELECT uid, revision, created_revision, object FROM objects WHERE grp = $1 AND resource = $2 AND namespace = $3 AND name = $4';

/** The `objects` table (the projection of `events`) and lists as of a revision of the log. */
export class PgProjection implements Projection {
  constructor(private readonly pool: Pool) {}

  async readRow(key: ObjectKey): Promise<CurrentRow | null> {
    const rows = await query<{
      uid: string;
      revision: string;
      created_revision: string;
      object: StoredObject;
    }>(this.pool, READ_ROW_SQL, [key.group, key.resource, key.namespace, key.name]);
    const r = rows[0];
    return r
      ? {
          uid: r.uid,
          revision: Number(r.revision),
          createdRevision: Number(r.created_revision),
          object: r.object,
        }
      : null;
  }

  list(q: Omit<ParsedList, 'limit'>, opts: ListOptions): Promise<ListResult> {
    return list(this.pool, q, opts);
  }
}
