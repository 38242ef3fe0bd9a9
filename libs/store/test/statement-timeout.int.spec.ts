import { Client } from 'pg';
import { ErrorCode } from '@bosun/common';
import { openTestStore, pod, PODS, type TestStore } from './helpers';

/** Resolves once some other session waits for a lock on a table of `schema`. */
async function someoneWaitsForALock(admin: Client, schema: string): Promise<void> {
  for (;;) {
    const r = await admin.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND n.nspname = $1`,
      [schema],
    );
    if (r.rows[0].n > 0) return;
  }
}

describe('store statement timeout (integration)', () => {
  let t: TestStore;
  let locker: Client;
  beforeEach(async () => {
    t = await openTestStore({ statementTimeoutMs: 300 });
    locker = new Client({ connectionString: t.schema.url });
    await locker.connect();
  });
  afterEach(async () => {
    await locker.end();
    await t.dispose();
  });

  it('cancels a read stuck past the timeout with a retryable Timeout, while a write waiting as long still commits', async () => {
    await t.store.create(PODS, pod('before'));
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${t.schema.schema}".objects IN ACCESS EXCLUSIVE MODE`);
    let writeSettled = false;
    const write = t.store.create(PODS, pod('during')).finally(() => (writeSettled = true));
    await someoneWaitsForALock(locker, t.schema.schema);
    const read = await t.store.get(PODS, 'default', 'before').catch((e: unknown) => e);
    expect(read).toMatchObject({ code: ErrorCode.Timeout, retryable: true });
    // The read waited past the timeout after the write began waiting: the write has waited longer.
    expect(writeSettled).toBe(false);
    await locker.query('COMMIT');
    await expect(write).resolves.toMatchObject({ metadata: { name: 'during' } });
    // The pool's connections are still good.
    await expect(t.store.get(PODS, 'default', 'before')).resolves.toBeDefined();
  });

  it('refuses a negative timeout', async () => {
    const { openStore } = await import('../src');
    await expect(
      openStore({ url: t.schema.url, schema: t.schema.schema, statementTimeoutMs: -1 }),
    ).rejects.toMatchObject({ code: ErrorCode.Invalid });
  });
});
