import type { Pool, PoolClient } from 'pg';
import { BosunError } from '@bosun/common';
import { unavailable } from './store-errors';

/**
 * Runs `fn` on a pooled connection. A BosunError is the caller's answer (the transaction is rolled
 * back, the connection reused); anything else means the database failed us: the connection is
 * destroyed and the caller gets a retryable Unavailable, never a raw driver error.
 */
export async function withClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  let c: PoolClient;
  try {
    c = await pool.connect();
  } catch (e) {
    throw unavailable('the store cannot reach its database', e);
  }
  try {
    const out = await fn(c);
    c.release();
    return out;
  } catch (e) {
    if (e instanceof BosunError) {
      try {
        await c.query('ROLLBACK');
        c.release();
      } catch (re) {
        c.release(re as Error);
      }
      throw e;
    }
    c.release(e as Error);
    throw unavailable('the store query failed: ' + (e as Error).message, e);
  }
}

/** A single statement outside a transaction. */
export function query<R = Record<string, unknown>>(
  pool: Pool,
  sql: string,
  params?: unknown[],
): Promise<R[]> {
  return withClient(pool, async (c) => (await c.query(sql, params)).rows as R[]);
}
