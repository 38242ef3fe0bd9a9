import { ErrorCode } from '@bosun/common';
import type { StoredObject } from '../src';
import { codeOf, NODES, openTestStore, pod, PODS, type TestStore } from './helpers';

const names = (items: StoredObject[]) =>
  items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('store list (integration)', () => {
  let t: TestStore;
  beforeEach(async () => (t = await openTestStore()));
  afterEach(async () => t.dispose());

  async function seed(n: number, ns = 'default') {
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        t.store.create(
          PODS,
          pod(`p${String(i).padStart(3, '0')}`, {
            ns,
            labels: { idx: String(i % 3) },
            node: `n${i % 2}`,
          }),
        ),
      ),
    );
  }

  it('lists everything in (namespace, name) order at the current revision', async () => {
    await seed(5, 'b');
    await seed(2, 'a');
    const all = await t.store.list(PODS);
    expect(all.revision).toBe(7);
    expect(names(all.items)).toEqual([
      'a/p000',
      'a/p001',
      'b/p000',
      'b/p001',
      'b/p002',
      'b/p003',
      'b/p004',
    ]);
    expect(all.continue).toBeUndefined();
    expect(names((await t.store.list(PODS, { namespace: 'a' })).items)).toEqual([
      'a/p000',
      'a/p001',
    ]);
  });

  it('pages form one consistent snapshot even when writes happen between pages', async () => {
    await seed(10);
    const first = await t.store.list(PODS, { limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.continue).toBeDefined();
    expect(first.remainingItemCount).toBe(6);
    // Between pages: delete one not yet served, add one, modify one.
    await t.store.delete(PODS, 'default', 'p008');
    await t.store.create(PODS, pod('p005a'));
    await t.store.update(PODS, {
      ...pod('p009'),
      metadata: { name: 'p009', namespace: 'default', labels: { changed: 'yes' } },
    });
    const seen = [...first.items];
    let token = first.continue;
    while (token) {
      const page = await t.store.list(PODS, { limit: 4, continue: token });
      expect(page.revision).toBe(first.revision);
      seen.push(...page.items);
      token = page.continue;
    }
    expect(names(seen)).toEqual(Array.from({ length: 10 }, (_, i) => `default/p00${i}`));
    expect(seen[9].metadata.labels).toEqual({ idx: '0' });
    expect(seen.every((o) => Number(o.metadata.resourceVersion) <= first.revision)).toBe(true);
  });

  it('selectors work with limit (filtering happens before the page is cut)', async () => {
    await seed(12);
    const got: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await t.store.list(PODS, {
        labelSelector: 'idx in (0,2),!missing',
        fieldSelector: 'spec.nodeName=n0',
        limit: 2,
        continue: token,
      });
      got.push(...page.items);
      token = page.continue;
    } while (token);
    // i % 2 == 0 and i % 3 in {0, 2}: 0, 2, 6, 8
    expect(names(got)).toEqual(['default/p000', 'default/p002', 'default/p006', 'default/p008']);
    const neq = await t.store.list(PODS, {
      labelSelector: 'idx!=0',
      fieldSelector: 'metadata.name!=p001',
    });
    expect(neq.items).toHaveLength(7);
  });

  it('an explicit resourceVersion lists the state at that revision', async () => {
    await t.store.create(PODS, pod('a'));
    await t.store.create(PODS, pod('b'));
    const rev = await t.store.currentRevision();
    await t.store.delete(PODS, 'default', 'a');
    await t.store.update(PODS, {
      ...pod('b'),
      metadata: { name: 'b', namespace: 'default', labels: { v: '2' } },
    });
    await t.store.create(PODS, pod('c'));
    const then = await t.store.list(PODS, { resourceVersion: String(rev) });
    expect(then.revision).toBe(rev);
    expect(names(then.items)).toEqual(['default/a', 'default/b']);
    expect(then.items[1].metadata.labels).toBeUndefined();
    expect(
      names(
        (await t.store.list(PODS, { resourceVersion: String(rev), labelSelector: 'v=2' })).items,
      ),
    ).toEqual([]);
    expect(await codeOf(t.store.list(PODS, { resourceVersion: '999' }))).toBe(ErrorCode.Timeout);
  });

  it('continue tokens and old revisions are Gone after compaction', async () => {
    await seed(6);
    const first = await t.store.list(PODS, { limit: 2 });
    for (let i = 0; i < 3; i++) await t.store.update(PODS, pod('p000'));
    await t.store.compact({ keepRevisions: 0 });
    const err = await t.store.list(PODS, { limit: 2, continue: first.continue }).catch((e) => e);
    expect(err.code).toBe(ErrorCode.Gone);
    expect(err.message).toMatch(/^The provided continue parameter is too old/);
    expect(await codeOf(t.store.list(PODS, { resourceVersion: '3' }))).toBe(ErrorCode.Gone);
    expect(await codeOf(t.store.readEvents(2))).toBe(ErrorCode.Gone);
  });

  it('cluster-scoped lists ignore namespaces', async () => {
    await t.store.create(NODES, { metadata: { name: 'n2' } });
    await t.store.create(NODES, { metadata: { name: 'n1' } });
    expect((await t.store.list(NODES)).items.map((o) => o.metadata.name)).toEqual(['n1', 'n2']);
  });

  it('readEvents filters by key parts and labels, in revision order, with a limit', async () => {
    await seed(6);
    await t.store.create(PODS, pod('x', { ns: 'other', labels: { idx: '1' } }));
    const evs = await t.store.readEvents(0, {
      resource: 'pods',
      namespace: 'default',
      labelSelector: 'idx=1',
    });
    expect(evs.map((e) => e.object.metadata.name).sort()).toEqual(['p001', 'p004']);
    const revs = (await t.store.readEvents(0, {}, 3)).map((e) => e.revision);
    expect(revs).toEqual([1, 2, 3]);
    expect((await t.store.readEvents(5)).map((e) => e.revision)).toEqual([6, 7]);
  });
});
