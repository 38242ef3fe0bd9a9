import { performance } from 'node:perf_hooks';
import type { Logger } from '@bosun/common';
import {
  Informer,
  WorkQueue,
  objectKey,
  realClock,
  type Clock,
  type ListWatchPort,
} from '@bosun/controller-kit';
import type { Registry } from 'prom-client';
import type { ContainerStatus } from '@bosun/runtime';
import { PodLabel } from './labels';
import type { PodEviction } from './pod-evictor';
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
  /**
   * The relist period (the kubelet's PLEG: one runtime listing, and only pods whose containers
   * changed state are synced); exits are noticed within this.
   */
  readonly resyncMs?: number;
  /** Every live pod is synced at least this often anyway (default 10 s). */
  readonly podResyncMs?: number;
  /** The node's shared listing (a RuntimeSnapshot). */
  readonly listContainers: () => Promise<readonly ContainerStatus[]>;
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
  private readonly clock: Clock;
  private seen = new Map<string, string>();
  private plegTimer: unknown;
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {
    this.clock = opts.clock ?? realClock;
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
    this.schedulePleg();
  }

  /** Evicts a pod through its worker (never concurrently with its own sync); see PodSyncer. */
  evict(pod: Pod, eviction: PodEviction): Promise<void> {
    const done = this.opts.syncer.requestEviction(pod, eviction);
    this.queue.add(objectKey(pod));
    return done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.plegTimer !== undefined) this.clock.clearTimeout(this.plegTimer);
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

  private schedulePleg(): void {
    if (this.stopped) return;
    this.plegTimer = this.clock.setTimeout(() => {
      this.relist()
        .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'runtime relist failed'))
        .finally(() => this.schedulePleg());
    }, this.opts.resyncMs ?? 1000);
  }

  /** Enqueues the pods whose containers appeared, changed state or vanished since last time. */
  private async relist(): Promise<void> {
    const now = new Map<string, string>();
    const keyOf = new Map<string, string>();
    for (const c of await this.opts.listContainers()) {
      now.set(c.id, c.state);
      const ns = c.labels[PodLabel.Namespace];
      const name = c.labels[PodLabel.Name];
      if (ns && name) keyOf.set(c.id, `${ns}/${name}`);
    }
    for (const [id, state] of now) {
      if (this.seen.get(id) !== state && keyOf.has(id)) this.queue.add(keyOf.get(id)!);
    }
    this.seen = now;
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
    const resync = this.opts.podResyncMs ?? 10_000;
    return wanted === undefined ? resync : Math.min(wanted, resync);
  }
}
