import { openStore, type Store } from '@bosun/store';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@bosun/testing';

/** A real Postgres store on a private schema; `close()` closes every store opened and drops it. */
export class TestStores {
  private readonly opened: Store[] = [];
  private constructor(readonly schema: TestSchema) {}

  static async create(): Promise<TestStores> {
    return new TestStores(await createTestSchema('ev'));
  }

  /** On a database of a private server (fault tests): a fresh schema there. */
  static async createOn(url: string): Promise<TestStores> {
    const schema = `ev_${randomBytes(6).toString('hex')}`;
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.end();
    const drop = async (): Promise<void> => {
      const d = new Client({ connectionString: url });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await d.end();
    };
    return new TestStores({ url, schema, drop });
  }

  /** Another "process" on the same database and schema. */
  async open(url = this.schema.url): Promise<Store> {
    const store = await openStore({ url, schema: this.schema.schema, poolSize: 4 });
    this.opened.push(store);
    return store;
  }

  /**
   * Terminates the Postgres session holding the `name` leadership (the store's advisory lock on
   * `<schema>:<name>`): what the database sees when the leader process dies.
   */
  async killLeaderSession(name: string): Promise<number> {
    const c = new Client({ connectionString: this.schema.url });
    await c.connect();
    try {
      const r = await c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND objid = (hashtext($1)::bigint & 4294967295)::oid
           AND classid = ((hashtext($1)::bigint >> 32) & 4294967295)::oid`,
        [`${this.schema.schema}:${name}`],
      );
      return r.rowCount ?? 0;
    } finally {
      await c.end();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.map((s) => s.close().catch(() => undefined)));
    await this.schema.drop();
  }
}
