import { createLogger } from '@bosun/common';
import { Registry } from 'prom-client';
import type { RestResourceRef } from './adapters/rest-client';
import { defineController } from './controller';
import { Manager, type RunnableFactory } from './manager';
import type { Runnable } from './runnable';
import { FakeClock } from './testing/fake-clock';
import { InMemoryEventPort } from './testing/in-memory-event-port';
import { InMemoryLeasePort } from './testing/in-memory-lease-port';
import { InMemoryResourcePort } from './testing/in-memory-resource-port';
import type { KubeObject, ListWatchPort } from './types';

const silent = createLogger('test', 'silent');
const CMS: RestResourceRef = { group: '', version: 'v1', resource: 'configmaps' };
const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
});

/** A runnable that logs its life, `<who>:<name> start|stop`. */
const probe =
  (log: string[], who: string, name = 'probe'): RunnableFactory =>
  () =>
    ({
      name,
      start: async () => void log.push(`${who}:${name} start`),
      stop: async () => void log.push(`${who}:${name} stop`),
    }) satisfies Runnable;

function world() {
  const clock = new FakeClock();
  const leases = new InMemoryLeasePort();
  const store = new InMemoryResourcePort<KubeObject>([cm('a')]);
  const events = new InMemoryEventPort();
  let lists = 0;
  const counted: ListWatchPort<KubeObject> = {
    list: () => (lists++, store.list()),
    watch: store.watch.bind(store),
  };
  const manager = (identity: string, portFor = () => counted) =>
    new Manager({
      name: 'test',
      portFor,
      events,
      clock,
      logger: silent,
      registry: new Registry(),
      leaderElection: {
        port: leases,
        namespace: 'kube-system',
        name: 'test',
        identity,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 500,
      },
    });
  return { clock, leases, store, events, manager, lists: () => lists };
}

describe('Manager', () => {
  it('runs leader-only runnables on exactly one replica and hands over when the leader stops', async () => {
    const w = world();
    const log: string[] = [];
    const a = w.manager('a').add(probe(log, 'a'));
    const b = w.manager('b').add(probe(log, 'b'));
    a.start();
    await w.clock.advance(0);
    b.start();
    await w.clock.advance(1000);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(log).toEqual(['a:probe start']);
    expect(a.runnables().map((r) => r.name)).toEqual(['probe']);
    expect(b.runnables()).toEqual([]);
    await a.stop(); // releases the lease
    await w.clock.advance(1000);
    expect(b.isLeader()).toBe(true);
    expect(log).toEqual(['a:probe start', 'a:probe stop', 'b:probe start']);
    await b.stop();
    expect(log.at(-1)).toBe('b:probe stop');
  });

  it('shares one informer per collection between controllers, listed once, and builds controllers afresh each term', async () => {
    const w = world();
    const reconciled: string[] = [];
    let built = 0;
    const controller =
      (name: string): RunnableFactory =>
      (ctx) => {
        built++;
        return defineController({
          name,
          informers: [ctx.informers.for(CMS)],
          registry: new Registry(),
          logger: silent,
          reconcile: async (key) => void reconciled.push(`${name} ${key}`),
        });
      };
    const m = w.manager('a').add(controller('one')).add(controller('two'));
    m.start();
    await w.clock.advance(1000);
    expect(m.isLeader()).toBe(true);
    expect(m.informers.all()).toHaveLength(1);
    expect(w.lists()).toBe(1);
    expect(reconciled.sort()).toEqual(['one default/a', 'two default/a']);
    expect(built).toBe(2);
    await m.stop();
    expect(m.informers.all()[0].hasSynced()).toBe(true);
  });

  it('starts nothing and stops promptly when a term ends before the caches ever synced', async () => {
    const w = world();
    const log: string[] = [];
    const down: ListWatchPort<KubeObject> = {
      list: () => Promise.reject(new Error('api-server away')),
      watch: () => () => undefined,
    };
    const m = w.manager('a', () => down);
    m.add((ctx) => {
      ctx.informers.for(CMS);
      return probe(log, 'a')(ctx);
    });
    m.start();
    await w.clock.advance(5000);
    expect(m.isLeader()).toBe(true);
    expect(m.hasSynced()).toBe(false);
    await m.stop(); // would hang if the term waited for a sync that never comes
    expect(log).toEqual(['a:probe stop']);
  });

  it('stops a term whose lease is lost and starts a fresh one when it is won back', async () => {
    const w = world();
    const log: string[] = [];
    const m = w.manager('a').add(probe(log, 'a'));
    m.start();
    await w.clock.advance(100);
    expect(log).toEqual(['a:probe start']);
    const lease = (await w.leases.get('kube-system', 'test'))!;
    await w.leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    await w.clock.advance(500);
    expect(m.isLeader()).toBe(false);
    expect(log).toEqual(['a:probe start', 'a:probe stop']);
    await w.clock.advance(4000); // the intruder never renews: its lease expires
    expect(m.isLeader()).toBe(true);
    expect(log).toEqual(['a:probe start', 'a:probe stop', 'a:probe start']);
    await m.stop();
  });

  it('runs always-on runnables on every replica, after the informers declared up front synced', async () => {
    const w = world();
    const log: string[] = [];
    const managers = ['a', 'b'].map((id) => {
      const m = w.manager(id);
      m.informers.for(CMS);
      return m.add(probe(log, id, 'cache-user'), { leaderElection: false });
    });
    managers.forEach((m) => m.start());
    await w.clock.advance(1000);
    expect(log.sort()).toEqual(['a:cache-user start', 'b:cache-user start']);
    expect(managers.every((m) => m.hasSynced())).toBe(true);
    for (const m of managers) await m.stop();
    expect(log.filter((l) => l.endsWith('stop')).sort()).toEqual([
      'a:cache-user stop',
      'b:cache-user stop',
    ]);
  });

  it('without leader election leads from start to stop', async () => {
    const log: string[] = [];
    const m = new Manager({
      name: 'solo',
      portFor: () => new InMemoryResourcePort<KubeObject>(),
      logger: silent,
    }).add(probe(log, 'solo'));
    m.start();
    await new Promise((r) => setImmediate(r));
    expect(m.isLeader()).toBe(true);
    await m.stop();
    expect(log).toEqual(['solo:probe start', 'solo:probe stop']);
  });

  it('records Events through its one builder and correlator, and writes them before stop returns', async () => {
    const w = world();
    const m = w.manager('a');
    m.add((ctx) => {
      const recorder = ctx.recorder('configmap-controller');
      return {
        name: 'noisy',
        start: async () => {
          recorder.event(cm('a'), 'Normal', 'Seen', 'seen it');
          recorder.event(cm('a'), 'Normal', 'Seen', 'seen it');
        },
        stop: async () => undefined,
      };
    });
    m.start();
    await w.clock.advance(100);
    await m.stop();
    expect(w.events.list()).toEqual([
      expect.objectContaining({
        reason: 'Seen',
        count: 2,
        source: { component: 'configmap-controller' },
        reportingInstance: 'a',
      }),
    ]);
  });
});
