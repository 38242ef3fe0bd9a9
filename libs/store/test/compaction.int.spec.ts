import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { rebuildProjection } from '../src';
import { openTestStore, pod, PODS, type TestStore } from './helpers';

describe('compaction and projection rebuild (integration)', () => {
  let t: TestStore;
  beforeEach(async () => (t = await openTestStore()));
  afterEach(async () => t.dispose());

  async function churn() {
    for (let i = 0; i < 20; i++) await t.store.create(PODS, pod(`p${i}`, { labels: { gen: '0' } }));
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 20; i += 2) {
        await t.store.update(PODS, pod(`p${i}`, { labels: { gen: String(round) } }));
      }
    }
    for (let i = 0; i < 20; i += 5) await t.store.delete(PODS, 'default', `p${i}`);
    await t.store.create(PODS, pod('p0', { labels: { reborn: 'yes' } }));
  }

  it('keeps the state as of the horizon: live keys keep their latest event, deleted keys vanish', async () => {
    await churn();
    const before = await t.store.list(PODS);
    const res = await t.store.compact({ keepRevisions: 0 });
    expect(res.compactedRevision).toBe(before.revision);
    expect(await t.store.compactedRevision()).toBe(before.revision);
    const left = await t.store.readEvents(before.revision - 1).catch(() => undefined);
    expect(left).toBeUndefined(); // below the horizon: Gone
    const rows = await t.sql<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(Number(rows[0].n)).toBe(before.items.length);
    expect(res.deletedEvents).toBe(before.revision - before.items.length);
    expect((await t.store.list(PODS)).items).toEqual(before.items);
    expect(await t.store.history(PODS, 'default', 'p5')).toEqual([]);
    expect((await rebuildProjection(t.store, { check: true })).differences).toEqual([]);
  });

  it('keepRevisions keeps the recent tail intact and a list at the horizon is still exact', async () => {
    await churn();
    const current = await t.store.currentRevision();
    const horizon = current - 10;
    const atHorizon = await t.store.list(PODS, { resourceVersion: String(horizon + 1) });
    await t.store.compact({ keepRevisions: 10 });
    expect(await t.store.compactedRevision()).toBe(horizon);
    expect((await t.store.readEvents(horizon)).map((e) => e.revision)).toEqual(
      Array.from({ length: 10 }, (_, i) => horizon + 1 + i),
    );
    expect((await t.store.list(PODS, { resourceVersion: String(horizon + 1) })).items).toEqual(
      atHorizon.items,
    );
    // keepMs of an hour keeps everything committed just now.
    expect((await t.store.compact({ keepMs: 3_600_000 })).compactedRevision).toBe(horizon);
  });

  it('check reports a corrupted projection row, rebuild repairs it', async () => {
    await churn();
    await t.store.compact({ keepRevisions: 5 });
    await t.sql(
      `UPDATE objects SET object = jsonb_set(object, '{spec,hacked}', 'true') WHERE name = 'p2'`,
    );
    await t.sql(`DELETE FROM objects WHERE name = 'p3'`);
    await t.sql(
      `INSERT INTO objects SELECT grp, resource, namespace, 'ghost', uid, revision, created_revision, object, labels FROM objects WHERE name = 'p4'`,
    );
    const check = await rebuildProjection(t.store, { check: true });
    expect(check.differences.map((d) => [d.name, d.problem])).toEqual([
      ['ghost', 'extra'],
      ['p2', 'different'],
      ['p3', 'missing'],
    ]);
    expect(check.rebuilt).toBe(false);
    const fixed = await rebuildProjection(t.store, { check: false });
    expect(fixed.rebuilt).toBe(true);
    expect((await rebuildProjection(t.store, { check: true })).differences).toEqual([]);
    expect((await t.store.get(PODS, 'default', 'p2')).spec).not.toHaveProperty('hacked');
    // The store keeps working on the rebuilt projection.
    await t.store.update(PODS, pod('p3', { labels: { after: 'rebuild' } }));
    expect((await rebuildProjection(t.store, { check: true })).differences).toEqual([]);
  });

  // The CLI's own source through swc-node (what dist/cli/rebuild.js is compiled from), so the test
  // needs no prior build.
  const cliArgs = ['-r', '@swc-node/register', join(__dirname, '..', 'src', 'cli', 'rebuild.ts')];
  const node = (args: string[], env: NodeJS.ProcessEnv) =>
    execFileSync('node', [...cliArgs, ...args], { env, stdio: 'pipe', cwd: join(__dirname, '..') });
  it('the rebuild CLI: --check exits 1 on mismatch, a rebuild fixes it', async () => {
    await t.store.create(PODS, pod('a'));
    const env = {
      ...process.env,
      DATABASE_URL: t.schema.url,
      BOSUN_SCHEMA: t.schema.schema,
      LOG_LEVEL: 'silent',
    };
    expect(node(['--check'], env).toString()).toMatch(/0 difference/);
    await t.sql(`UPDATE objects SET revision = 42`);
    let status = 0;
    try {
      node(['--check'], env);
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
    expect(node([], env).toString()).toMatch(/rebuilt/);
    expect(node(['--check'], env).toString()).toMatch(/0 difference/);
  });
});
