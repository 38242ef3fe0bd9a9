import 'reflect-metadata';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { BosunError, ErrorCode } from '@bosun/common';
import { InitialSchema1764200000000 } from './migrations/1764200000000-initial-schema';

export const MIGRATIONS = [InitialSchema1764200000000];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new BosunError(
      ErrorCode.Invalid,
      `store schema ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`,
    );
  }
  return schema;
}

export interface DataSourceSettings {
  readonly url: string;
  readonly schema: string;
  readonly poolSize: number;
  /** statement_timeout of every pooled connection, ms (0 = none). */
  readonly statementTimeoutMs?: number;
}

/** Default `StoreOptions.statementTimeoutMs`. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** A TypeORM DataSource whose every connection has search_path = the store's schema. */
export function createDataSource(s: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: s.url,
    schema: s.schema,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    entities: [],
    logging: false,
    poolSize: s.poolSize,
    // A process frozen mid-batch would hold the revision lock and stall every writer of every
    // process; Postgres ends such a session after 30 s idle inside its transaction. A runaway
    // read must not hold a pooled connection forever either: statement_timeout cancels it.
    extra: {
      options:
        `-c search_path=${s.schema} -c idle_in_transaction_session_timeout=30000` +
        ` -c statement_timeout=${Math.max(0, Math.floor(s.statementTimeoutMs ?? 0))}`,
      max: s.poolSize,
    },
  });
}

/** The pg pool under TypeORM, for the hot paths that send raw SQL. */
export function poolOf(ds: DataSource): Pool {
  return (ds.driver as unknown as { master: Pool }).master;
}

/**
 * Creates the schema and applies pending migrations. Serialized across processes with an
 * advisory lock, because several api-servers may start against a fresh database at once.
 */
export async function migrate(ds: DataSource, schema: string): Promise<void> {
  const client = await poolOf(ds).connect();
  try {
    // Waiting for another process's migration is not a runaway statement.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`bosun-migrate:${schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.runMigrations({ transaction: 'all' });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`bosun-migrate:${schema}`]);
    }
    await client.query('RESET statement_timeout');
  } finally {
    client.release();
  }
}

/** Brings a schema up to date without opening a store (deploy step, tests). */
export async function runMigrations(opts: { url: string; schema?: string }): Promise<void> {
  const schema = checkSchemaName(opts.schema ?? 'bosun');
  const ds = createDataSource({ url: opts.url, schema, poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds, schema);
  } finally {
    await ds.destroy();
  }
}
