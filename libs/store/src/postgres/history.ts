import type { Pool } from 'pg';
import { query } from './db';
import type { EventType, HistoryEntry } from '../contract/event-log';
import type { ObjectKey, StoredObject } from '../contract/objects';

/** Every surviving event of one key, oldest first (who changed it, when, to what). */
export async function history(pool: Pool, key: ObjectKey): Promise<HistoryEntry[]> {
  const rows = await query<{
    revision: string;
    type: EventType;
    object: StoredObject;
    actor: string;
    created_at: Date;
  }>(
    pool,
    `SELECT revision, type, object, actor, created_at FROM events
     WHERE grp = $1 AND resource = $2 AND namespace = $3 AND name = $4 ORDER BY revision`,
    [key.group, key.resource, key.namespace, key.name],
  );
  return rows.map((r) => ({
    revision: Number(r.revision),
    type: r.type,
    object: r.object,
    actor: r.actor,
    time: r.created_at.toISOString(),
  }));
}
