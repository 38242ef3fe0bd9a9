import type { Pool } from 'pg';
import type { Coordination, LeadershipLease } from '../contract/coordination';
import { query, withClient } from './db';
import { tryLeadership } from './leadership';

const UPSERT_CHECKPOINT_SQL =
  'INSERT INTO checkpoints (name, revision) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET revision = EXCLUDED.revision';

/** Leadership as session advisory locks, checkpoints as rows of `checkpoints`. */
export class PgCoordination implements Coordination {
  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly schema: string,
  ) {}

  tryLeadership(name: string): Promise<LeadershipLease | undefined> {
    return tryLeadership(this.url, this.schema, name);
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    const rows = await query<{ revision: string }>(
      this.pool,
      'SELECT revision FROM checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ? Number(rows[0].revision) : undefined;
  }

  async setCheckpoint(name: string, revision: number): Promise<void> {
    await withClient(this.pool, (c) => c.query(UPSERT_CHECKPOINT_SQL, [name, revision]));
  }
}
