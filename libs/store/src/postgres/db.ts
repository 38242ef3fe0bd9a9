import type { Pool, PoolClient } from 'pg';
import { BosunError, ErrorCode } from '@bosun/common';
import { unavailable } from '../store-errors';

const guarded = new WeakSet<PoolClient>();

/**
 * Checks a connection out of the pool. The pool only listens for errors on idle connections; a
 * connection killed while checked out (server restart) would emit an unhandled 'error' and crash
 * the process, so every connection gets a permanent no-op listener: the failure still reaches the
 * caller through its pending query, and the caller then destroys the connection.
 */
export async function acquire(pool: Pool): Promise<PoolClient> {
  const c = await pool.connect();
  if (!guarded.has(c)) {
    guarded.add(c);
    c.on('error', () => undefined);
  }
  return c;
}

/** Errors that mean the connection (not the statement) failed. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message ?? '';
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    /Connection terminated|Client has encountered a connection error|not queryable/.test(msg)
  );
}

/** Postgres cancelled the statement at statement_timeout (query_canceled). */
const isStatementTimeout = (e: unknown): boolean =>
  (e as { code?: string }).code === '57014' && /statement timeout/.test((e as Error).message ?? '');

/**
 * Runs `fn` on a pooled connection. A BosunError is the caller's answer (the transaction is rolled
 * back, the connection reused); anything else means the database failed us: the connection is
 * destroyed and the caller gets a retryable Unavailable, never a raw driver error.
 */
export async function withClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  let c: PoolClient;
  try {
    c = await acquire(pool);
  } catch (e) {
    throw unavailable('the store cannot reach its database', e);
  }
  try {
    const out = await fn(c);
    c.release();
    return out;
  } catch (caught) {
    // The connection is sound after a cancelled statement: roll back and reuse it.
    const e = isStatementTimeout(caught)
      ? new BosunError(
          ErrorCode.Timeout,
          'Timeout: the store query ran past its statement timeout',
          {
            cause: caught,
            retryable: true,
          },
        )
      : caught;
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
