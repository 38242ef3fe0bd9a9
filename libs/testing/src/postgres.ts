import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dockerAvailable } from './docker';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
let containerUrl: Promise<string> | undefined;

/**
 * The Postgres every integration test uses: `DATABASE_URL`, else a Testcontainers Postgres when a
 * Docker engine exists, else the default local port.
 */
export function postgresUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return Promise.resolve(process.env.DATABASE_URL);
  if (!dockerAvailable()) return Promise.resolve(DEFAULT_URL);
  containerUrl ??= (async () => {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer('postgres:15-alpine').start();
    return c.getConnectionUri();
  })();
  return containerUrl;
}

export interface TestSchema {
  readonly url: string;
  readonly schema: string;
  drop(): Promise<void>;
}

/** A fresh schema of its own, so suites can run in parallel against one database. */
export async function createTestSchema(prefix = 't'): Promise<TestSchema> {
  const url = await postgresUrl();
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await client.end();
  }
  return {
    url,
    schema,
    async drop() {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
