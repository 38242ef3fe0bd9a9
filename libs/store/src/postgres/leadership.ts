import { Client } from 'pg';
import type { LeadershipLease } from '../contract/coordination';
import { unavailable } from '../store-errors';

/**
 * A session advisory lock on a dedicated connection: held exactly as long as that connection
 * lives, so a crashed leader's lock is freed by Postgres itself.
 */
export async function tryLeadership(
  url: string,
  schema: string,
  name: string,
): Promise<LeadershipLease | undefined> {
  const client = new Client({ connectionString: url });
  let resolveLost!: () => void;
  const lost = new Promise<void>((r) => (resolveLost = r));
  client.on('error', () => resolveLost());
  client.on('end', () => resolveLost());
  const lockKey = `${schema}:${name}`;
  try {
    await client.connect();
    const r = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS won', [lockKey]);
    if (!r.rows[0].won) {
      await client.end();
      return undefined;
    }
  } catch (e) {
    await client.end().catch(() => undefined);
    throw unavailable('cannot reach the database to take leadership', e);
  }
  let released = false;
  return {
    lost,
    async release() {
      if (released) return;
      released = true;
      await client
        .query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
