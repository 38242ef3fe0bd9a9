import fc from 'fast-check';
import {
  matches,
  parseFieldSelector,
  parseLabelSelector,
  rebuildProjection,
  type StoredObject,
} from '../src';
import { openTestStore, pod, PODS, type TestStore } from './helpers';

/**
 * Property: random sequences of creates, updates (unconditional, fresh or stale resourceVersion)
 * and deletes (with or without precondition), submitted in concurrent groups so they share group
 * commits, behave exactly like a sequential in-memory model applied in call order.
 */
type Op =
  | { kind: 'create'; k: number }
  | { kind: 'update'; k: number; rv: 'none' | 'fresh' | 'stale' }
  | { kind: 'delete'; k: number; precondition: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), k: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant('update' as const),
    k: fc.integer({ min: 0, max: 3 }),
    rv: fc.constantFrom('none' as const, 'fresh' as const, 'stale' as const),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    k: fc.integer({ min: 0, max: 3 }),
    precondition: fc.boolean(),
  }),
);

interface ModelObj {
  rv: number;
  v: number;
}

describe('store vs in-memory model (integration, property-based)', () => {
  let t: TestStore;
  beforeAll(async () => (t = await openTestStore()));
  afterAll(async () => t.dispose());

  let run = 0;
  it('final state, outcomes and history equal the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        async (groups) => {
          const ns = `run-${run++}`;
          let rev = await t.store.currentRevision();
          const model = new Map<number, ModelObj>();
          const hist = new Map<number, [string, number][]>();
          const record = (k: number, type: string) =>
            hist.set(k, [...(hist.get(k) ?? []), [type, rev]]);
          let v = 0;
          for (const group of groups) {
            const calls: Promise<unknown>[] = [];
            const expected: string[] = [];
            for (const op of group) {
              const name = `k${op.k}`;
              const cur = model.get(op.k);
              v++;
              if (op.kind === 'create') {
                calls.push(
                  t.store.create(PODS, { metadata: { name, namespace: ns }, spec: { v } }),
                );
                if (cur) expected.push('AlreadyExists');
                else {
                  rev++;
                  model.set(op.k, { rv: rev, v });
                  record(op.k, 'ADDED');
                  expected.push('ok');
                }
              } else if (op.kind === 'update') {
                const rv =
                  op.rv === 'none' ? undefined : op.rv === 'fresh' ? String(cur?.rv ?? 1) : '1';
                calls.push(
                  t.store.update(
                    PODS,
                    { metadata: { name, namespace: ns }, spec: { v } },
                    { resourceVersion: rv },
                  ),
                );
                if (!cur) expected.push('NotFound');
                else if (rv !== undefined && rv !== String(cur.rv)) expected.push('Conflict');
                else {
                  rev++;
                  model.set(op.k, { rv: rev, v });
                  record(op.k, 'MODIFIED');
                  expected.push('ok');
                }
              } else {
                const pre = op.precondition ? { resourceVersion: String(cur?.rv ?? 1) } : {};
                calls.push(t.store.delete(PODS, ns, name, pre));
                if (!cur) expected.push('NotFound');
                else {
                  rev++;
                  model.delete(op.k);
                  record(op.k, 'DELETED');
                  expected.push('ok');
                }
              }
            }
            const outcomes = (await Promise.allSettled(calls)).map((r) =>
              r.status === 'fulfilled' ? 'ok' : r.reason.code,
            );
            expect(outcomes).toEqual(expected);
          }
          const listed = (await t.store.list(PODS, { namespace: ns })).items.map((o) => [
            o.metadata.name,
            Number(o.metadata.resourceVersion),
            (o.spec as { v: number }).v,
          ]);
          const want = [...model.entries()]
            .sort(([a], [b]) => a - b)
            .map(([k, o]) => [`k${k}`, o.rv, o.v]);
          expect(listed).toEqual(want);
          for (const [k, h] of hist) {
            const got = (await t.store.history(PODS, ns, `k${k}`)).map((e) => [e.type, e.revision]);
            expect(got).toEqual(h);
          }
          expect(await t.store.currentRevision()).toBe(rev);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('SQL selectors select exactly what the in-memory matches() selects, also at an old revision', async () => {
    const ns = 'selectors';
    const labelArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y', ''), {
      maxKeys: 3,
    });
    const objs = fc.sample(fc.tuple(labelArb, fc.constantFrom('n1', 'n2', undefined)), {
      numRuns: 30,
      seed: 7,
    });
    await Promise.all(
      objs.map(([labels, node], i) => t.store.create(PODS, pod(`o${i}`, { ns, labels, node }))),
    );
    const at = String(await t.store.currentRevision());
    const all = (await t.store.list(PODS, { namespace: ns })).items;
    const req = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('a', 'b', 'c'),
          fc.constantFrom('=', '!='),
          fc.constantFrom('x', 'y', ''),
        )
        .map(([k, o, v]) => `${k}${o}${v}`),
      fc
        .tuple(
          fc.constantFrom('a', 'b'),
          fc.constantFrom('in', 'notin'),
          fc.uniqueArray(fc.constantFrom('x', 'y', ''), { minLength: 1 }),
        )
        .map(([k, o, vs]) => `${k} ${o} (${vs.join(',')})`),
      fc.constantFrom('a', '!a', 'b', '!c'),
    );
    const field = fc.constantFrom(
      '',
      'spec.nodeName=n1',
      'spec.nodeName!=n1',
      'spec.nodeName=',
      'metadata.name!=o3',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(req, { maxLength: 3 }),
        field,
        fc.boolean(),
        async (reqs, fieldSelector, old) => {
          const labelSelector = reqs.join(',');
          const sel = {
            labels: parseLabelSelector(labelSelector),
            fields: parseFieldSelector(fieldSelector),
          };
          const want = all.filter((o: StoredObject) => matches(o, sel)).map((o) => o.metadata.name);
          const got = await t.store.list(PODS, {
            namespace: ns,
            labelSelector,
            fieldSelector,
            resourceVersion: old ? at : undefined,
          });
          expect(got.items.map((o) => o.metadata.name)).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('after compaction at a random horizon, a list at any later revision equals the model at that revision', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (ops, cut) => {
          const ns = `compact-${run++}`;
          const start = await t.store.currentRevision();
          const snapshots = new Map<number, string[]>(); // revision -> names alive in ns, sorted
          const alive = new Set<string>();
          for (const op of ops) {
            const name = `k${op.k}`;
            const res = await (
              op.kind === 'create'
                ? t.store.create(PODS, { metadata: { name, namespace: ns } })
                : op.kind === 'update'
                  ? t.store.update(PODS, { metadata: { name, namespace: ns }, spec: { x: 1 } })
                  : t.store.delete(PODS, ns, name)
            ).catch(() => undefined);
            if (!res) continue;
            if (op.kind === 'delete') alive.delete(name);
            else alive.add(name);
            snapshots.set(Number(res.metadata.resourceVersion), [...alive].sort());
          }
          const end = await t.store.currentRevision();
          if (end === start) return;
          const horizon = start + Math.floor(cut * (end - start));
          await t.store.compact({ keepRevisions: end - horizon });
          let expected: string[] = [];
          for (let r = start + 1; r <= end; r++) {
            expected = snapshots.get(r) ?? expected;
            if (r <= horizon) continue;
            const listed = await t.store.list(PODS, { namespace: ns, resourceVersion: String(r) });
            expect(listed.items.map((o) => o.metadata.name)).toEqual(expected);
          }
          expect((await rebuildProjection(t.store, { check: true })).differences).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
