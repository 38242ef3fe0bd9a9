import { createLogger } from '@bosun/common';
import { InformerFactory, testing, type Controller } from '@bosun/controller-kit';
import { defaultRegistry } from '@bosun/resource-model';
import { Registry } from 'prom-client';
import type { ControllerContext, ControllerFactory } from '../controllers/controller-context';
import { FakeCluster } from './fake-cluster';

export interface Harness {
  readonly cluster: FakeCluster;
  readonly clock: testing.FakeClock;
  readonly ctx: ControllerContext;
  /** Builds the controller and syncs its informers (no workers run). */
  controller(factory: ControllerFactory): Promise<Controller>;
  /** Reconciles ready keys until the queue is empty (at most `max` reconciles). */
  drain(controller: Controller, max?: number): Promise<number>;
  stop(): void;
}

/** A controller over a FakeCluster, stepped by hand: seed, drain, check the exact writes. */
export function createHarness(startMs = Date.parse('2026-01-01T00:00:00Z')): Harness {
  const clock = new testing.FakeClock(startMs);
  const cluster = new FakeCluster(() => clock.now());
  const informers = new InformerFactory(cluster.portFor);
  const ctx: ControllerContext = {
    informers,
    writer: cluster,
    reader: {
      list: (ref, ns) => cluster.list(ref, ns),
      get: (ref, ns, name) => cluster.liveGet(ref, ns, name),
    },
    kinds: defaultRegistry,
    logger: createLogger('test', 'silent'),
    registry: new Registry(),
    clock,
    workers: 1,
  };
  return {
    cluster,
    clock,
    ctx,
    async controller(factory) {
      const c = factory(ctx);
      await Promise.all(informers.all().map((i) => i.start()));
      return c;
    },
    async drain(controller, max = 1000) {
      let n = 0;
      while (n < max && (await controller.processNext()) !== undefined) n++;
      return n;
    },
    stop: () => informers.stopAll(),
  };
}
