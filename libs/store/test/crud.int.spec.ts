import { BosunError, ErrorCode } from '@bosun/common';
import { waitFor } from '@bosun/testing';
import { Registry } from 'prom-client';
import { MAX_OBJECT_BYTES, openStore, runMigrations } from '../src';
import {
  assertLogIntegrity,
  codeOf,
  DEPLOYMENTS,
  eventCount,
  NODES,
  openTestStore,
  pod,
  PODS,
  type TestStore,
} from './helpers';

describe('store CRUD against real Postgres (integration)', () => {
  let t: TestStore;
  beforeEach(async () => (t = await openTestStore()));
  afterEach(async () => t.dispose());

  it('create sets uid, creationTimestamp and resourceVersion = the event revision', async () => {
    const created = await t.store.create(PODS, pod('web'), { actor: 'alice' });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.resourceVersion).toBe('1');
    expect(await t.store.get(PODS, 'default', 'web')).toEqual(created);
    const [ev] = await t.store.readEvents(0);
    expect(ev).toMatchObject({
      revision: 1,
      type: 'ADDED',
      prevRevision: 0,
      actor: 'alice',
      object: created,
    });
    expect(ev.key).toEqual({ group: '', resource: 'pods', namespace: 'default', name: 'web' });
  });

  it('update keeps uid and creationTimestamp, bumps resourceVersion, and chains prev_revision', async () => {
    const created = await t.store.create(PODS, pod('web'));
    const changed = {
      ...created,
      metadata: { ...created.metadata, uid: undefined, creationTimestamp: 'x', labels: { a: 'b' } },
    };
    const forged = { ...created, metadata: { ...created.metadata, uid: 'forged' } };
    expect(await codeOf(t.store.update(PODS, forged))).toBe(ErrorCode.Conflict);
    const updated = await t.store.update(PODS, changed);
    expect(updated.metadata.uid).toBe(created.metadata.uid);
    expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(updated.metadata.resourceVersion).toBe('2');
    const events = await t.store.readEvents(0);
    expect(events.map((e) => [e.type, e.prevRevision])).toEqual([
      ['ADDED', 0],
      ['MODIFIED', 1],
    ]);
    await assertLogIntegrity(t);
  });

  it('update without resourceVersion is unconditional; with a stale one it is a Conflict with the Kubernetes message', async () => {
    const created = await t.store.create(PODS, pod('web'));
    await t.store.update(PODS, { ...pod('web'), metadata: { name: 'web', namespace: 'default' } });
    const before = await eventCount(t);
    const err = await t.store.update(PODS, created).catch((e) => e as BosunError);
    expect(err).toBeInstanceOf(BosunError);
    expect((err as BosunError).code).toBe(ErrorCode.Conflict);
    expect((err as BosunError).message).toBe(
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(await eventCount(t)).toBe(before);
  });

  it('delete returns the last object; the DELETED event carries it at the delete revision', async () => {
    await t.store.create(PODS, pod('web', { labels: { app: 'w' } }));
    const deleted = await t.store.delete(PODS, 'default', 'web', { actor: 'bob' });
    expect(deleted.metadata.resourceVersion).toBe('2');
    expect(deleted.metadata.labels).toEqual({ app: 'w' });
    expect(await codeOf(t.store.get(PODS, 'default', 'web'))).toBe(ErrorCode.NotFound);
    const h = await t.store.history(PODS, 'default', 'web');
    expect(h.map((e) => [e.revision, e.type, e.actor])).toEqual([
      [1, 'ADDED', ''],
      [2, 'DELETED', 'bob'],
    ]);
    expect(h[1].object).toEqual(deleted);
    await assertLogIntegrity(t);
  });

  it('delete honours uid and resourceVersion preconditions', async () => {
    const c = await t.store.create(PODS, pod('web'));
    expect(await codeOf(t.store.delete(PODS, 'default', 'web', { uid: 'other' }))).toBe(
      ErrorCode.Conflict,
    );
    expect(await codeOf(t.store.delete(PODS, 'default', 'web', { resourceVersion: '99' }))).toBe(
      ErrorCode.Conflict,
    );
    expect(await eventCount(t)).toBe(1);
    await t.store.delete(PODS, 'default', 'web', {
      uid: c.metadata.uid,
      resourceVersion: c.metadata.resourceVersion,
    });
    expect(await eventCount(t)).toBe(2);
  });

  it('generateName appends 5 characters of the Kubernetes alphabet', async () => {
    const a = await t.store.create(PODS, {
      metadata: { generateName: 'web-', namespace: 'default' },
    });
    expect(a.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(a.metadata.generateName).toBe('web-');
  });

  it('cluster-scoped and grouped resources have their own keys', async () => {
    await t.store.create(NODES, { metadata: { name: 'n1' } });
    await t.store.create(DEPLOYMENTS, { metadata: { name: 'n1', namespace: 'default' } });
    expect((await t.store.get(NODES, '', 'n1')).metadata.namespace).toBeUndefined();
    expect(await codeOf(t.store.get(DEPLOYMENTS, 'default', 'zz'))).toBe(ErrorCode.NotFound);
    const err = await t.store.get(DEPLOYMENTS, 'default', 'zz').catch((e) => e as BosunError);
    expect((err as BosunError).message).toBe('deployments.apps "zz" not found');
  });

  it('dry-run validates and answers without writing', async () => {
    const dry = await t.store.create(PODS, pod('web'), { dryRun: true });
    expect(dry.metadata.name).toBe('web');
    expect(await eventCount(t)).toBe(0);
    await t.store.create(PODS, pod('web'));
    expect(await codeOf(t.store.create(PODS, pod('web'), { dryRun: true }))).toBe(
      ErrorCode.AlreadyExists,
    );
    await t.store.delete(PODS, 'default', 'web', { dryRun: true });
    expect(await eventCount(t)).toBe(1);
  });

  describe('every error is typed and writes nothing', () => {
    const cases: [string, (t: TestStore) => Promise<unknown>, string][] = [
      ['invalid name', (t) => t.store.create(PODS, pod('Bad_Name')), ErrorCode.Invalid],
      ['name too long', (t) => t.store.create(PODS, pod('a'.repeat(254))), ErrorCode.Invalid],
      [
        'no name',
        (t) => t.store.create(PODS, { metadata: { namespace: 'default' } }),
        ErrorCode.Invalid,
      ],
      [
        'missing namespace',
        (t) => t.store.create(PODS, { metadata: { name: 'x' } }),
        ErrorCode.Invalid,
      ],
      [
        'bad namespace',
        (t) => t.store.create(PODS, pod('x', { ns: 'Not.A.Label' })),
        ErrorCode.Invalid,
      ],
      [
        'namespace on cluster-scoped',
        (t) => t.store.create(NODES, { metadata: { name: 'x', namespace: 'a' } }),
        ErrorCode.BadRequest,
      ],
      ['get without namespace', (t) => t.store.get(PODS, '', 'web'), ErrorCode.BadRequest],
      [
        'too large',
        (t) => t.store.create(PODS, { ...pod('big'), data: 'x'.repeat(MAX_OBJECT_BYTES) }),
        ErrorCode.RequestEntityTooLarge,
      ],
      ['already exists', (t) => t.store.create(PODS, pod('web')), ErrorCode.AlreadyExists],
      ['update missing', (t) => t.store.update(PODS, pod('nope')), ErrorCode.NotFound],
      ['delete missing', (t) => t.store.delete(PODS, 'default', 'nope'), ErrorCode.NotFound],
      [
        'stale update',
        (t) => t.store.update(PODS, pod('web'), { resourceVersion: '0' + '7' }),
        ErrorCode.Conflict,
      ],
      [
        'bad continue token',
        (t) => t.store.list(PODS, { continue: 'not-a-token' }),
        ErrorCode.BadRequest,
      ],
      [
        'bad label selector',
        (t) => t.store.list(PODS, { labelSelector: 'a in (b' }),
        ErrorCode.BadRequest,
      ],
      [
        'unsupported field',
        (t) => t.store.list(PODS, { fieldSelector: 'spec.image=x' }),
        ErrorCode.BadRequest,
      ],
      [
        'bad resourceVersion',
        (t) => t.store.list(PODS, { resourceVersion: 'abc' }),
        ErrorCode.BadRequest,
      ],
    ];
    it.each(cases)('%s', async (_name, call, code) => {
      await t.store.create(PODS, pod('web'));
      const before = await eventCount(t);
      expect(await codeOf(call(t))).toBe(code);
      expect(await eventCount(t)).toBe(before);
      await assertLogIntegrity(t);
    });

    it('Invalid names the field metadata.name', async () => {
      const err = (await t.store.create(PODS, pod('UPPER')).catch((e) => e)) as BosunError;
      expect(err.causes.map((c) => c.field)).toEqual(['metadata.name']);
    });
  });

  it('a failed op in a batch does not consume a revision; the others commit', async () => {
    await t.store.create(PODS, pod('a'));
    const results = await Promise.allSettled([
      t.store.create(PODS, pod('b')),
      t.store.create(PODS, pod('a')),
      t.store.update(PODS, pod('zz')),
      t.store.create(PODS, pod('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(await t.store.currentRevision()).toBe(3);
    await assertLogIntegrity(t);
  });

  it('checkpoints are durable and overwritable', async () => {
    expect(await t.store.getCheckpoint('relay')).toBeUndefined();
    await t.store.setCheckpoint('relay', 5);
    await t.store.setCheckpoint('relay', 9);
    expect(await t.store.getCheckpoint('relay')).toBe(9);
  });

  it('onCommit tells listeners the new revision', async () => {
    const seen: number[] = [];
    const unsubscribe = await t.store.onCommit((r) => seen.push(r));
    await t.store.create(PODS, pod('a'));
    await waitFor(() => seen.includes(1), { what: 'notification of revision 1' });
    await unsubscribe();
  });

  it('tryLeadership: one holder at a time; release lets another win', async () => {
    const a = await t.store.tryLeadership('scheduler');
    expect(a).toBeDefined();
    expect(await t.store.tryLeadership('scheduler')).toBeUndefined();
    await a!.release();
    await a!.lost;
    const b = await t.store.tryLeadership('scheduler');
    expect(b).toBeDefined();
    await b!.release();
  });

  it('a leadership lease is lost when its connection is killed, and the lock is free again', async () => {
    const lease = await t.store.tryLeadership('controller');
    expect(lease).toBeDefined();
    // Kill exactly the backend holding this advisory lock (the key is hashtext(schema:name)).
    const killed = await t.sql<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory'
         AND objid = (hashtext($1)::bigint & 4294967295)::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [`${t.schema.schema}:controller`],
    );
    expect(killed.map((r) => r.ok)).toEqual([true]);
    await lease!.lost;
    const next = await waitFor(() => t.store.tryLeadership('controller'), {
      what: 'the lock to be free',
    });
    await next.release();
    await lease!.release();
  });

  it('guaranteedUpdate hands mutate a private copy and retries past a concurrent writer', async () => {
    await t.store.create(PODS, pod('web'));
    let calls = 0;
    const out = await t.store.guaranteedUpdate(PODS, 'default', 'web', async (cur) => {
      calls++;
      if (calls === 1) await t.store.update(PODS, pod('web', { labels: { by: 'other' } }));
      cur.metadata.labels = { ...cur.metadata.labels, mine: 'yes' };
      return cur;
    });
    expect(calls).toBe(2);
    expect(out.metadata.labels).toEqual({ by: 'other', mine: 'yes' });
    expect(await codeOf(t.store.guaranteedUpdate(PODS, 'default', 'nope', (c) => c))).toBe(
      ErrorCode.NotFound,
    );
  });

  it('updates are size-checked and dry-run updates honour preconditions', async () => {
    const c = await t.store.create(PODS, pod('web'));
    const big = { ...pod('web'), blob: 'é'.repeat(MAX_OBJECT_BYTES / 2) };
    expect(await codeOf(t.store.update(PODS, big))).toBe(ErrorCode.RequestEntityTooLarge);
    await t.store.update(PODS, pod('web'));
    expect(await codeOf(t.store.update(PODS, c, { dryRun: true }))).toBe(ErrorCode.Conflict);
    const dry = await t.store.update(PODS, pod('web', { labels: { a: 'b' } }), { dryRun: true });
    expect(dry.metadata.resourceVersion).toBe('2');
    expect(dry.metadata.labels).toEqual({ a: 'b' });
    expect((await t.store.get(PODS, 'default', 'web')).metadata.labels).toBeUndefined();
  });

  it('runMigrations is idempotent and keeps its migrations table in the store schema', async () => {
    await runMigrations({ url: t.schema.url, schema: t.schema.schema });
    const rows = await t.sql<{ name: string }>('SELECT name FROM migrations');
    expect(rows.map((r) => r.name)).toEqual(['InitialSchema1764200000000']);
  });

  it('objects Postgres cannot store are a BadRequest, and non-string labels are Invalid', async () => {
    const nul = { ...pod('nul'), spec: { cmd: 'a\u0000b' } };
    const lone = { ...pod('lone'), spec: { cmd: '\ud800' } };
    expect(await codeOf(t.store.create(PODS, nul))).toBe(ErrorCode.BadRequest);
    expect(await codeOf(t.store.create(PODS, lone))).toBe(ErrorCode.BadRequest);
    const badLabels = { metadata: { name: 'l', namespace: 'default', labels: { a: 1 } } } as never;
    expect(await codeOf(t.store.create(PODS, badLabels))).toBe(ErrorCode.Invalid);
    expect(
      await t.store.create(PODS, { ...pod('emoji'), spec: { s: '😀 \\u0000' } }),
    ).toBeDefined();
    expect(await eventCount(t)).toBe(1);
  });

  it('exports batch size, commit latency and write results to a prom-client registry when given one', async () => {
    const registry = new Registry();
    const store = await openStore({
      url: t.schema.url,
      schema: t.schema.schema,
      metricsRegistry: registry,
    });
    try {
      await Promise.all([store.create(PODS, pod('m1')), store.create(PODS, pod('m2'))]);
      await store.create(PODS, pod('m1')).catch(() => undefined);
      const text = await registry.metrics();
      expect(text).toMatch(
        new RegExp(
          `bosun_store_writes_total\\{schema="${t.schema.schema}",result="committed"\\} 2`,
        ),
      );
      expect(text).toMatch(/bosun_store_writes_total\{[^}]*result="rejected"\} 1/);
      expect(text).toMatch(/bosun_store_commit_duration_seconds_count\{[^}]*\} [1-9]/);
      expect(text).toMatch(/bosun_store_batch_size_sum\{[^}]*\} 3/);
    } finally {
      await store.close();
    }
  });
});
