import { Client } from 'pg';
import { connect } from 'nats';
import { createTestSchema, natsUrl } from './index';
import { PrivateNatsServer } from './private-nats-server';
import { PrivatePostgresServer, privatePostgresUnavailable } from './private-postgres-server';

describe('test harness (needs Postgres and NATS)', () => {
  it('gives each test a schema of its own and drops it', async () => {
    const a = await createTestSchema();
    const b = await createTestSchema();
    expect(a.schema).not.toEqual(b.schema);
    const c = new Client({ connectionString: a.url });
    await c.connect();
    try {
      const has = async (s: string) =>
        (await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [s])).rowCount;
      expect(await has(a.schema)).toBe(1);
      await a.drop();
      expect(await has(a.schema)).toBe(0);
      await b.drop();
    } finally {
      await c.end();
    }
  });

  it('reaches the shared NATS server', async () => {
    const nc = await connect({ servers: natsUrl() });
    await nc.close();
  });

  it('runs a private NATS server that survives a kill and restart', async () => {
    const s = await PrivateNatsServer.start();
    try {
      const nc = await connect({ servers: s.url });
      await nc.close();
      await s.restart();
      const nc2 = await connect({ servers: s.url });
      await nc2.close();
    } finally {
      await s.dispose();
    }
  }, 30_000);

  const why = privatePostgresUnavailable();
  (why ? it.skip : it)(
    `runs a private Postgres that can be restarted${why ? ` — SKIPPED: ${why}` : ''}`,
    async () => {
      const s = await PrivatePostgresServer.start();
      try {
        const q = async () => {
          const c = new Client({ connectionString: s.url });
          await c.connect();
          const r = await c.query('SELECT 1 AS one');
          await c.end();
          return r.rows[0].one;
        };
        expect(await q()).toBe(1);
        s.restart('immediate');
        expect(await q()).toBe(1);
      } finally {
        s.dispose();
      }
    },
    60_000,
  );
});
