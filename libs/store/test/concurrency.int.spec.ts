import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode } from '@bosun/common';
import { openStore } from '../src';
import { assertLogIntegrity, openTestStore, pod, PODS, type TestStore } from './helpers';

const run = promisify(execFile);

describe('store concurrency (integration)', () => {
  let t: TestStore;
  beforeEach(async () => (t = await openTestStore()));
  afterEach(async () => t.dispose());

  it('hundreds of concurrent writes in one process: gapless log, rv = revision, projection = log', async () => {
    const creates = Array.from({ length: 300 }, (_, i) => t.store.create(PODS, pod(`p${i}`)));
    const created = await Promise.all(creates);
    const updates = created.flatMap((o, i) => [
      t.store.update(PODS, { ...o, metadata: { ...o.metadata, labels: { u: '1' } } }),
      t.store.update(PODS, pod(`p${i}`, { labels: { u: '2' } })),
    ]);
    const results = await Promise.allSettled(updates);
    // The unconditional update always wins; the conditional one may lose only to its sibling.
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(300);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason.code).toBe(ErrorCode.Conflict);
    }
    const revs = [
      ...created,
      ...results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    ].map((o) => Number(o.metadata.resourceVersion));
    expect(new Set(revs).size).toBe(revs.length);
    expect(await t.store.currentRevision()).toBe(revs.length);
    expect(t.store.metrics.maxBatchSize).toBeGreaterThan(1); // they really were group-committed
    await assertLogIntegrity(t);
  });

  it('I5: of N concurrent updates from the same resourceVersion, across several stores, exactly one wins', async () => {
    const base = await t.store.create(PODS, pod('hot'));
    const others = await Promise.all(
      [1, 2, 3].map(() => openStore({ url: t.schema.url, schema: t.schema.schema, poolSize: 2 })),
    );
    try {
      const stores = [t.store, ...others];
      const attempts = stores.flatMap((s, si) =>
        Array.from({ length: 10 }, (_, i) =>
          s.update(
            PODS,
            { ...base, spec: { by: `${si}-${i}` } },
            { resourceVersion: base.metadata.resourceVersion },
          ),
        ),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason.code).toBe(ErrorCode.Conflict);
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
    await assertLogIntegrity(t);
  });

  it('several OS processes writing the same and different keys: every ack is in the log, nothing lost (I1, I2)', async () => {
    for (let k = 0; k < 3; k++)
      await t.store.create(PODS, {
        metadata: { name: `shared-${k}`, namespace: 'default' },
        spec: { n: 0 },
      });
    const child = join(__dirname, 'fixtures', 'writer-child.ts');
    const procs = [1, 2, 3, 4].map((id) =>
      run(
        'node',
        ['-r', '@swc-node/register', child, t.schema.url, t.schema.schema, String(id), '40'],
        {
          cwd: join(__dirname, '..'),
          env: { ...process.env, LOG_LEVEL: 'silent' },
          timeout: 120_000,
        },
      ),
    );
    const outputs = (await Promise.all(procs)).map((p) =>
      JSON.parse(p.stdout.trim().split('\n').pop()!),
    );
    const acks = outputs.flatMap((o: { acks: { key: string; rv: number }[] }) => o.acks);
    expect(acks).toHaveLength(4 * (10 + 40));
    const log = new Map(
      (await t.sql<{ revision: string; name: string }>('SELECT revision, name FROM events')).map(
        (r) => [Number(r.revision), r.name],
      ),
    );
    for (const a of acks) expect(log.get(a.rv)).toBe(a.key);
    // guaranteedUpdate lost no increment: 160 increments over 3 shared keys.
    const shared = await Promise.all(
      [0, 1, 2].map((k) => t.store.get(PODS, 'default', `shared-${k}`)),
    );
    expect(shared.reduce((sum, o) => sum + (o.spec as { n: number }).n, 0)).toBe(160);
    await assertLogIntegrity(t);
  }, 180_000);

  it('I3: a reader following the log while two stores write never sees a gap (no later revision before an earlier one)', async () => {
    const other = await openStore({ url: t.schema.url, schema: t.schema.schema, poolSize: 2 });
    let writing = true;
    const writes = (async () => {
      await Promise.all(
        [t.store, other].flatMap((s, si) =>
          Array.from({ length: 8 }, async (_, w) => {
            for (let i = 0; i < 40; i++) await s.create(PODS, pod(`s${si}-w${w}-${i}`));
          }),
        ),
      );
      writing = false;
    })();
    const seen: number[] = [];
    let after = 0;
    while (writing || after < (await t.store.currentRevision())) {
      const page = await t.store.readEvents(after, {}, 50);
      page.forEach((e, i) => expect(e.revision).toBe(after + i + 1));
      seen.push(...page.map((e) => e.revision));
      if (page.length) after = page[page.length - 1].revision;
    }
    await writes;
    await other.close();
    expect(seen).toEqual(Array.from({ length: 640 }, (_, i) => i + 1));
  });

  it('a write the database refuses fails alone; its batch-mates still commit gaplessly', async () => {
    await t.sql(`ALTER TABLE events ADD CONSTRAINT test_no_poison CHECK (name <> 'poison')`);
    const results = await Promise.allSettled(
      ['a', 'b', 'poison', 'c', 'd'].map((n) => t.store.create(PODS, pod(n))),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[2] as PromiseRejectedResult).reason.code).toBe(ErrorCode.Internal);
    await t.sql('ALTER TABLE events DROP CONSTRAINT test_no_poison');
    await assertLogIntegrity(t);
  });

  it('a batch of large objects is written in several statements and stays consistent', async () => {
    const big = (n: string, v: number) => ({ ...pod(n), spec: { v, blob: 'x'.repeat(1_000_000) } });
    const writes = Array.from({ length: 24 }, (_, i) =>
      t.store.create(PODS, big(`big${i % 12}-${i < 12 ? 'a' : 'b'}`, i)),
    );
    writes.push(
      ...Array.from({ length: 12 }, (_, i) => t.store.update(PODS, big(`big${i}-a`, 100 + i))),
    );
    await Promise.all(writes);
    expect(t.store.metrics.maxBatchSize).toBeGreaterThan(9); // > 8 MiB of JSON in one batch
    expect(((await t.store.get(PODS, 'default', 'big3-a')).spec as { v: number }).v).toBe(103);
    await assertLogIntegrity(t);
  });
});
