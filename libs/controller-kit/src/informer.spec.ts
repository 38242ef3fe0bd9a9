import { createLogger } from '@bosun/common';
import { Informer } from './informer';
import { IndexName } from './indexers';
import { FakeClock } from './testing/fake-clock';
import { InMemoryResourcePort } from './testing/in-memory-resource-port';
import type { Pod } from '@bosun/api-types';

const silent = createLogger('test', 'silent');

const pod = (name: string, extra: Partial<Pod['metadata']> = {}, nodeName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...extra },
  spec: nodeName ? { nodeName, containers: [] } : { containers: [] },
});

function setup(initial: Pod[] = []) {
  const port = new InMemoryResourcePort<Pod>(initial);
  const clock = new FakeClock();
  const informer = new Informer<Pod>({ name: 'pods', port, clock });
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (a, b) =>
      seen.push(
        `update ${b.metadata.name}@${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`,
      ),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return { port, clock, informer, seen };
}

describe('Informer', () => {
  it('lists once, is synced, then follows changes from the listed revision', async () => {
    const { port, informer, seen } = setup([pod('a'), pod('b')]);
    expect(informer.hasSynced()).toBe(false);
    await informer.start();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.revision).toBe(2);
    port.create(pod('c'));
    port.update({ ...port.get('default', 'a')!, spec: { nodeName: 'n1', containers: [] } });
    port.delete('default', 'b');
    expect(seen).toEqual(['add a@1', 'add b@2', 'add c@3', 'update a@1->4', 'delete b']);
    expect(informer.keys().sort()).toEqual(['default/a', 'default/c']);
    informer.stop();
  });

  it('ignores redelivered events at or below the cached revision (I7)', async () => {
    const { port, informer, seen } = setup([pod('a')]);
    await informer.start();
    port.update(port.get('default', 'a')!);
    port.delete('default', 'a');
    port.redeliver(0);
    expect(seen).toEqual(['add a@1', 'update a@1->2', 'delete a']);
    expect(informer.get('default/a')).toBeUndefined();
    informer.stop();
  });

  it('freezes cached objects deeply', async () => {
    const { informer } = setup([pod('a', { labels: { app: 'web' } })]);
    await informer.start();
    const cached = informer.get('default/a')!;
    expect(Object.isFrozen(cached)).toBe(true);
    expect(() => {
      (cached.metadata.labels as Record<string, string>)['app'] = 'x';
    }).toThrow(TypeError);
    informer.stop();
  });

  it('indexes by namespace, label, owner, node name and custom functions', async () => {
    const port = new InMemoryResourcePort<Pod>([
      pod(
        'a',
        {
          labels: { app: 'web' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1' }],
        },
        'n1',
      ),
      pod('b', { labels: { app: 'db' }, namespace: 'prod' }, 'n1'),
      pod('c', { labels: { app: 'web' } }),
    ]);
    const informer = new Informer<Pod>({
      name: 'pods',
      port,
      clock: new FakeClock(),
      indexers: { firstLetter: (o) => [o.metadata.name!.slice(0, 1)] },
    });
    await informer.start();
    const names = (xs: Pod[]) => xs.map((x) => x.metadata.name).sort();
    expect(names(informer.byIndex(IndexName.Namespace, 'prod'))).toEqual(['b']);
    expect(names(informer.byIndex(IndexName.Label, 'app=web'))).toEqual(['a', 'c']);
    expect(names(informer.byIndex(IndexName.Owner, 'rs-1'))).toEqual(['a']);
    expect(names(informer.byIndex(IndexName.NodeName, 'n1'))).toEqual(['a', 'b']);
    expect(names(informer.byIndex('firstLetter', 'c'))).toEqual(['c']);
    port.update({ ...port.get('default', 'a')!, spec: { containers: [] } });
    expect(names(informer.byIndex(IndexName.NodeName, 'n1'))).toEqual(['b']);
    informer.stop();
  });

  it('re-lists after a watch error and synthesizes deletes for objects missed meanwhile', async () => {
    const { port, clock, informer, seen } = setup([pod('a'), pod('b')]);
    await informer.start();
    port.failWatches();
    // Changes while the informer is disconnected: it must learn them from the re-list.
    port.delete('default', 'a');
    port.create(pod('c'));
    port.update(port.get('default', 'b')!);
    port.compact();
    await clock.advance(1000);
    expect(seen.slice(2).sort()).toEqual(['add c@4', 'delete a', 'update b@2->5']);
    port.create(pod('d'));
    expect(seen.at(-1)).toBe('add d@6');
    informer.stop();
  });

  it('retries a failed list after the re-list delay', async () => {
    const port = new InMemoryResourcePort<Pod>([pod('a')]);
    const clock = new FakeClock();
    let failures = 1;
    const flaky = {
      list: () => (failures-- > 0 ? Promise.reject(new Error('down')) : port.list()),
      watch: port.watch.bind(port),
    };
    const informer = new Informer<Pod>({ name: 'pods', port: flaky, clock, relistDelayMs: 500 });
    const started = informer.start();
    await clock.advance(500);
    await started;
    expect(informer.hasSynced()).toBe(true);
    expect(informer.keys()).toEqual(['default/a']);
    informer.stop();
  });

  it('replays the cache to a handler added after sync', async () => {
    const { informer } = setup([pod('a')]);
    await informer.start();
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (o) => added.push(o.metadata.name!) });
    expect(added).toEqual(['a']);
    informer.stop();
  });

  it('tells sync waiters it did not happen when stopped before a list succeeded', async () => {
    const clock = new FakeClock();
    const down = {
      list: () => Promise.reject(new Error('api-server away')),
      watch: () => () => undefined,
    };
    const informer = new Informer<Pod>({ name: 'pods', port: down, clock, logger: silent });
    const started = informer.start();
    const waited = informer.waitForSync();
    await clock.advance(5000);
    informer.stop();
    await expect(waited).resolves.toBe(false);
    await expect(started).resolves.toBeUndefined();
    expect(informer.hasSynced()).toBe(false);
    expect(await informer.waitForSync()).toBe(false);
  });

  it('stops waiting for sync when the signal of the caller aborts, and says true once synced', async () => {
    const { informer } = setup([pod('a')]);
    const abort = new AbortController();
    const never = new Informer<Pod>({
      name: 'never',
      port: { list: () => new Promise(() => undefined), watch: () => () => undefined },
    });
    void never.start();
    const waited = never.waitForSync(abort.signal);
    abort.abort();
    expect(await waited).toBe(false);
    never.stop();
    await informer.start();
    expect(await informer.waitForSync(abort.signal)).toBe(true);
    informer.stop();
  });

  it('removes a handler with the function addEventHandler returns', async () => {
    const { port, informer } = setup([pod('a')]);
    await informer.start();
    const added: string[] = [];
    const remove = informer.addEventHandler({ onAdd: (o) => added.push(o.metadata.name!) });
    remove();
    port.create(pod('b'));
    expect(added).toEqual(['a']);
    informer.stop();
  });
});
