import { BosunError, ErrorCode } from '@bosun/common';
import {
  checkSchemaName,
  createDataSource,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  migrate,
  poolOf,
} from './data-source';
import { unavailable } from '../store-errors';
import { PgStore } from './pg-store';
import type { StoreOptions } from './store-options';

/** Connects, applies pending migrations, and returns the store (a PgStore, for its metrics). */
export async function openStore(opts: StoreOptions): Promise<PgStore> {
  const schema = checkSchemaName(opts.schema ?? 'bosun');
  const poolSize = opts.poolSize ?? 8;
  const statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!Number.isFinite(statementTimeoutMs) || statementTimeoutMs < 0)
    throw new BosunError(
      ErrorCode.Invalid,
      `store statementTimeoutMs must be a number of ms >= 0, not ${statementTimeoutMs}`,
    );
  if (
    opts.maxQueuedWrites !== undefined &&
    !(Number.isSafeInteger(opts.maxQueuedWrites) && opts.maxQueuedWrites >= 1)
  )
    throw new BosunError(
      ErrorCode.Invalid,
      `store maxQueuedWrites must be an integer >= 1, not ${opts.maxQueuedWrites}`,
    );
  const ds = createDataSource({ url: opts.url, schema, poolSize, statementTimeoutMs });
  try {
    await ds.initialize();
  } catch (e) {
    throw unavailable(`cannot connect to the store database: ${(e as Error).message}`, e);
  }
  const pool = poolOf(ds);
  // An idle pooled connection killed by a server restart emits 'error' on the pool; without a
  // handler that would crash the process. The pool drops it and the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(ds, schema);
  } catch (e) {
    await ds.destroy();
    throw e;
  }
  return new PgStore(
    ds,
    pool,
    opts.url,
    schema,
    opts.maxBatch ?? 500,
    opts.indexedFields ?? {},
    opts.metricsRegistry,
    opts.maxQueuedWrites,
  );
}
