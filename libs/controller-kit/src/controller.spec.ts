import { BosunError, createLogger, ErrorCode } from '@bosun/common';
import { Registry } from 'prom-client';
import { defineController, Outcome, type Reconcile } from './controller';
import { Informer } from './informer';
import { objectKey, splitKey } from './object-key';
import { FakeClock } from './testing/fake-clock';
import { InMemoryResourcePort } from './testing/in-memory-resource-port';
import type { KubeObject } from './types';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

async function setup(reconcile: Reconcile, initial: ConfigMap[] = [cm('a')]) {
  const port = new InMemoryResourcePort<ConfigMap>(initial);
  const clock = new FakeClock();
  const informer = new Informer<ConfigMap>({ name: 'configmaps', port, clock });
  const registry = new Registry();
  const invalid: string[] = [];
  const controller = defineController({
    name: 'stamp',
    informers: [informer],
    reconcile,
    clock,
    registry,
    onInvalid: (key) => invalid.push(key),
    logger: createLogger('test', 'silent'),
  });
  await informer.start();
  return { port, clock, informer, controller, registry, invalid };
}

describe('defineController', () => {
  it('reconciles from the cache and writes through the port (a whole controller in a function)', async () => {
    const ref: { informer?: Informer<ConfigMap>; port?: InMemoryResourcePort<ConfigMap> } = {};
    // The controller: every ConfigMap gets data.stamped = "yes".
    const reconcile: Reconcile = async (key) => {
      const current = ref.informer!.get(key);
      if (!current) return;
      if (current.data?.['stamped'] === 'yes') return;
      const copy = structuredClone(current) as ConfigMap;
      copy.data = { ...copy.data, stamped: 'yes' };
      ref.port!.update(copy);
    };
    const s = await setup(reconcile, [cm('a'), cm('b', { stamped: 'yes' })]);
    ref.port = s.port;
    ref.informer = s.informer;
    const port = s.port;
    expect(await s.controller.processNext()).toBe(Outcome.Success);
    expect(await s.controller.processNext()).toBe(Outcome.Success);
    expect(
      port.writes.filter((w) => w.verb === 'update').map((w) => w.object.metadata.name),
    ).toEqual(['a']);
    // Its own write comes back as an event and is reconciled to a no-op.
    expect(await s.controller.processNext()).toBe(Outcome.Success);
    expect(await s.controller.processNext()).toBeUndefined();
    expect(port.writes.length).toBe(3);
  });

  it('treats NotFound as done and does not retry', async () => {
    const s = await setup(async (key) => {
      throw new BosunError(ErrorCode.NotFound, `${splitKey(key).name} is gone`);
    });
    expect(await s.controller.processNext()).toBe(Outcome.NotFound);
    await s.clock.advance(10_000);
    expect(s.controller.queue.length).toBe(0);
  });

  it('records an invalid object and waits for it to change', async () => {
    let calls = 0;
    const s = await setup(async () => {
      calls++;
      throw new BosunError(ErrorCode.Invalid, 'spec.replicas must be >= 0');
    });
    expect(await s.controller.processNext()).toBe(Outcome.Invalid);
    expect(s.invalid).toEqual(['default/a']);
    await s.clock.advance(10_000);
    expect(await s.controller.processNext()).toBeUndefined();
    s.port.update({ ...s.port.get('default', 'a')!, data: { fixed: '1' } });
    expect(await s.controller.processNext()).toBe(Outcome.Invalid);
    expect(calls).toBe(2);
  });

  it('requeues transient failures with growing back-off and forgets them on success', async () => {
    let failures = 3;
    const s = await setup(async () => {
      if (failures-- > 0) throw new BosunError(ErrorCode.Unavailable, 'api-server down');
    });
    const outcomes: string[] = [];
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = s.clock.now();
      while (s.controller.queue.length === 0) await s.clock.advance(1);
      waits.push(s.clock.now() - start);
      outcomes.push((await s.controller.processNext())!);
    }
    expect(outcomes).toEqual(['error', 'error', 'error', 'success']);
    expect(waits).toEqual([0, 5, 10, 20]);
    expect(s.controller.queue.numRequeues('default/a')).toBe(0);
  });

  it('honours requeueAfter', async () => {
    const s = await setup(async () => ({ requeueAfter: 30_000 }));
    expect(await s.controller.processNext()).toBe(Outcome.Requeue);
    await s.clock.advance(29_999);
    expect(s.controller.queue.length).toBe(0);
    await s.clock.advance(1);
    expect(s.controller.queue.length).toBe(1);
  });

  it('maps events to owner keys with keyOf, and runs workers that never reconcile one key twice at once', async () => {
    const port = new InMemoryResourcePort<ConfigMap>([cm('x-1'), cm('x-2'), cm('y-1')]);
    const informer = new Informer<ConfigMap>({ name: 'cms', port, clock: new FakeClock() });
    const active = new Set<string>();
    const reconciled: string[] = [];
    let overlap = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const controller = defineController({
      name: 'owners',
      informers: [informer],
      keyOf: (o) => `default/${o.metadata.name!.split('-')[0]}`,
      workers: 3,
      registry: new Registry(),
      reconcile: async (key) => {
        if (active.has(key)) overlap = true;
        active.add(key);
        await gate;
        reconciled.push(key);
        active.delete(key);
      },
    });
    await controller.start();
    port.create(cm('x-3'));
    release();
    for (let i = 0; i < 50 && reconciled.length < 3; i++) await new Promise((r) => setImmediate(r));
    await controller.stop();
    expect(overlap).toBe(false);
    expect(reconciled.sort()).toEqual(['default/x', 'default/x', 'default/y']);
  });

  it('observes reconcile durations per outcome', async () => {
    const s = await setup(async () => undefined);
    await s.controller.processNext();
    const metric = await s.registry.getSingleMetric('bosun_controller_reconcile_total')!.get();
    expect(metric.values).toEqual([
      { labels: { controller: 'stamp', result: 'success' }, value: 1 },
    ]);
  });

  it('stops without draining the queue', async () => {
    const reconciled: string[] = [];
    const port = new InMemoryResourcePort<ConfigMap>([cm('a'), cm('b')]);
    const informer = new Informer<ConfigMap>({ name: 'cms', port, clock: new FakeClock() });
    const controller = defineController({
      name: 'stopper',
      informers: [informer],
      registry: new Registry(),
      logger: createLogger('test', 'silent'),
      reconcile: async (key) => {
        reconciled.push(key);
        void controller.stop();
      },
    });
    await controller.start();
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(reconciled).toEqual(['default/a']);
  });

  it('maps owned objects to the key of their controlling owner of the right kind (owns)', async () => {
    const jobs = new InMemoryResourcePort<ConfigMap>([cm('pi')]);
    const pods = new InMemoryResourcePort<ConfigMap>();
    const clock = new FakeClock();
    const jobInformer = new Informer<ConfigMap>({ name: 'jobs', port: jobs, clock });
    const podInformer = new Informer<ConfigMap>({ name: 'pods', port: pods, clock });
    const controller = defineController({
      name: 'job',
      informers: [jobInformer],
      owns: [{ informer: podInformer, ownerKind: 'Job' }],
      registry: new Registry(),
      reconcile: async () => undefined,
    });
    await Promise.all([jobInformer.start(), podInformer.start()]);
    expect(controller.queue.tryGet()).toBe('default/pi');
    controller.queue.done('default/pi');
    const owned = (name: string, kind: string, isController: boolean): ConfigMap => ({
      ...cm(name),
      metadata: {
        name,
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'v1', kind, name: 'pi', uid: 'u', controller: isController },
        ],
      },
    });
    pods.create(owned('pi-1', 'Job', true));
    pods.create(owned('other', 'CronJob', true));
    pods.create(owned('loose', 'Job', false));
    expect(controller.queue.tryGet()).toBe('default/pi');
    expect(controller.queue.length).toBe(0);
  });

  it('unhooks from shared informers when stopped, so a later controller on them is alone', async () => {
    const port = new InMemoryResourcePort<ConfigMap>([cm('a')]);
    const informer = new Informer<ConfigMap>({ name: 'cms', port, clock: new FakeClock() });
    await informer.start();
    const seen: string[] = [];
    const first = defineController({
      name: 'first',
      informers: [informer],
      keyOf: (o) => (seen.push(o.metadata.name!), objectKey(o)),
      registry: new Registry(),
      reconcile: async () => undefined,
    });
    await first.stop();
    port.create(cm('b'));
    expect(seen).toEqual(['a']);
    informer.stop();
  });

  it('does not run workers over an informer stopped before it listed', async () => {
    const informer = new Informer<ConfigMap>({
      name: 'down',
      port: { list: () => Promise.reject(new Error('down')), watch: () => () => undefined },
      clock: new FakeClock(),
      logger: createLogger('test', 'silent'),
    });
    let reconciles = 0;
    const controller = defineController({
      name: 'blind',
      informers: [informer],
      registry: new Registry(),
      reconcile: async () => void reconciles++,
    });
    const started = controller.start();
    informer.stop();
    await started;
    controller.queue.add('default/x');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(reconciles).toBe(0);
    await controller.stop();
  });
});
