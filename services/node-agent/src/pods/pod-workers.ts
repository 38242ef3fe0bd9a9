import { performance } from 'node:perf_hooks';
import type { Logger } from '@bosun/common';
import {
  Informer,
  WorkQueue,
  objectKey,
  type Clock,
  type ListWatchPort,
} from '@bosun/controller-kit';
import type { Registry } from 'prom-client';
import type { PodSyncer } from './pod-sync';
import type { Pod } from './pod-types';

/** The queue key that asks for a sweep of sandboxes whose pod is gone. */
const ORPHANS = '\u0000orphans';

export interface PodWorkersOptions {
  readonly port: ListWatchPort<Pod>;
  readonly syncer: PodSyncer;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly workers?: number;
  /** Re-sync of every live pod (the kubelet's PLEG relist: exits are noticed within this). */
  readonly resyncMs?: number;
  readonly registry?: Registry;
  readonly name: string;
}

/**
 * The pod workers: an informer on this node's pods turns events into keys; a fixed set of
 * workers syncs one pod at a time per key (never two syncs of one pod at once) and requeues each
 * live pod for its next check.
 */
export class PodWorkers {
  readonly informer: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly opts: PodWorkersOptions) {
    this.informer = new Informer<Pod>({
      name: `pods:${opts.name}`,
      port: opts.port,
      clock: opts.clock,
      logger: opts.logger,
    });
    this.queue = new WorkQueue({
      name: `pods:${opts.name}`,
      clock: opts.clock,
      registry: opts.registry,
    });
    const enqueue = (pod: Pod) => this.queue.add(objectKey(pod));
    this.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, pod) => enqueue(pod),
      onDelete: (pod) => {
        enqueue(pod);
        this.queue.add(ORPHANS);
      },
    });
  }

  /** Lists the node's pods, adopts what the runtime already runs, then starts the workers. */
  async start(): Promise<void> {
    await this.informer.start();
    this.queue.add(ORPHANS);
    for (let i = 0; i < (this.opts.workers ?? 16); i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.informer.stop();
    this.queue.shutDown();
    await Promise.all(this.loops.splice(0));
  }

  private async loop(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const t0 = performance.now();
      try {
        const again = await this.handle(key);
        this.opts.logger.debug(
          { pod: key, ms: Math.round(performance.now() - t0), queued: this.queue.length },
          'pod synced',
        );
        this.queue.forget(key);
        if (again !== undefined) this.queue.addAfter(key, Math.max(again, 10));
      } catch (e) {
        this.opts.logger.warn({ err: e, pod: key }, 'pod sync failed; retrying');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async handle(key: string): Promise<number | undefined> {
    if (key === ORPHANS) {
      const known = new Set(this.informer.list().map((p) => p.metadata.uid ?? ''));
      await this.opts.syncer.sweepOrphans(known);
      return undefined;
    }
    const pod = this.informer.get(key);
    if (!pod) return undefined; // gone: the ORPHANS sweep removes what it ran
    const wanted = await this.opts.syncer.sync(pod);
    if (this.informer.get(key) === undefined) return undefined;
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed')
      return wanted;
    const resync = this.opts.resyncMs ?? 1000;
    return wanted === undefined ? resync : Math.min(wanted, resync);
  }
}
