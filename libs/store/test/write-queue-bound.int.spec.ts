import { Client } from 'pg';
import { ErrorCode } from '@bosun/common';
import {
  assertLogIntegrity,
  eventCount,
  openTestStore,
  pod,
  PODS,
  type TestStore,
} from './helpers';

describe('group-commit queue bound (integration)', () => {
  let t: TestStore;
  let locker: Client;
  beforeEach(async () => {
    t = await openTestStore({ maxQueuedWrites: 2, maxBatch: 1 });
    locker = new Client({ connectionString: t.schema.url });
    await locker.connect();
  });
  afterEach(async () => {
    await locker.end();
    await t.dispose();
  });

  it('refuses writes past the bound with a retryable TooManyRequests, and commits every queued one', async () => {
    // Hold the revision lock: the first batch waits on it, the next two writes queue behind it.
    await locker.query('BEGIN');
    await locker.query(`SELECT value FROM "${t.schema.schema}".revision_counter FOR UPDATE`);
    const refused: unknown[] = [];
    let allRefused!: () => void;
    const sevenRefused = new Promise<void>((resolve) => (allRefused = resolve));
    const writes = Array.from({ length: 10 }, (_, i) =>
      t.store.create(PODS, pod(`p${i}`)).catch((e: unknown) => {
        refused.push(e);
        if (refused.length === 7) allRefused();
        return undefined;
      }),
    );
    await sevenRefused; // 1 committing + 2 queued; the other 7 are answered while the lock is held
    for (const e of refused)
      expect(e).toMatchObject({
        code: ErrorCode.TooManyRequests,
        retryable: true,
        context: { retryAfterSeconds: 1 },
      });
    expect(t.store.metrics.shedWrites).toBe(7);
    await locker.query('COMMIT');
    const done = await Promise.all(writes);
    expect(done.filter((o) => o !== undefined)).toHaveLength(3);
    expect(await eventCount(t)).toBe(3);
    // Room again once the queue drained.
    await expect(t.store.create(PODS, pod('after'))).resolves.toBeDefined();
    await assertLogIntegrity(t);
  });

  it('refuses a bound below 1', async () => {
    const { openStore } = await import('../src');
    await expect(
      openStore({ url: t.schema.url, schema: t.schema.schema, maxQueuedWrites: 0 }),
    ).rejects.toMatchObject({ code: ErrorCode.Invalid });
  });
});
