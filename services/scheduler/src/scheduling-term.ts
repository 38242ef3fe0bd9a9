import { ErrorCode, isBosunError, type Logger } from '@bosun/common';
import {
  scheduleOne,
  SchedulingQueue,
  podKey,
  type AssumeCache,
  type Binder,
  type ClusterSnapshot,
  type FitError,
  type Pod,
  type QueuedPodInfo,
  type ScheduleOptions,
  type SchedulingQueueOptions,
} from '@bosun/scheduling';
import type { SchedulingReporter } from './pod-writer';
import { AttemptResult, type SchedulerMetrics } from './scheduler-metrics';

export interface SchedulingTermDeps {
  readonly snapshot: ClusterSnapshot;
  readonly assumeCache: AssumeCache;
  readonly binder: Binder;
  readonly reporter: SchedulingReporter;
  readonly options?: ScheduleOptions;
  readonly queueOptions?: SchedulingQueueOptions;
  readonly metrics?: SchedulerMetrics;
  readonly logger: Logger;
  readonly maxInflightBinds: number;
  /** The newest cached copy of a pod (its status and resourceVersion for the condition write). */
  readonly latest: (pod: Pod) => Pod | undefined;
}

/** Remembers when the last pod was popped, so an attempt is timed from there (not from waiting). */
class TimedQueue extends SchedulingQueue {
  poppedAt = 0;

  override async pop(): Promise<QueuedPodInfo | undefined> {
    const info = await super.pop();
    this.poppedAt = performance.now();
    return info;
  }
}

const ASSUMED_CLEANUP_MS = 1000;

/**
 * One leadership term: a fresh queue (seeded by the scheduler from its caches), the scheduleOne
 * loop, and the binds it started. Ends when the signal aborts; the next term starts clean.
 */
export class SchedulingTerm {
  readonly queue: TimedQueue;
  private readonly inflight = new Set<Promise<boolean>>();
  /** Wakes the loop when a bind settles while it waits for room (no Promise.race over all). */
  private onBindSettled: (() => void) | undefined;
  private readonly firstQueued = new Map<string, number>();
  private lastCleanup = 0;

  constructor(private readonly deps: SchedulingTermDeps) {
    this.queue = new TimedQueue(deps.queueOptions);
    deps.metrics?.watchQueue(() => this.queue.lengths());
  }

  /** The pod left the pending set (deleted, bound elsewhere, no longer ours). */
  forget(pod: Pod): void {
    this.queue.delete(pod);
    this.firstQueued.delete(podKey(pod));
  }

  async run(signal: AbortSignal): Promise<void> {
    const close = (): void => this.queue.close();
    signal.addEventListener('abort', close, { once: true });
    if (signal.aborted) close();
    this.queue.run();
    try {
      while (!signal.aborted) {
        if (!(await this.cycle())) break;
        while (this.inflight.size >= this.deps.maxInflightBinds) {
          await new Promise<void>((resolve) => (this.onBindSettled = resolve));
        }
        this.cleanupAssumed();
      }
    } finally {
      signal.removeEventListener('abort', close);
      this.queue.close();
      await Promise.allSettled([...this.inflight]);
    }
  }

  /** One scheduleOne; false once the queue is closed. */
  private async cycle(): Promise<boolean> {
    const { deps, queue } = this;
    let result;
    try {
      result = await scheduleOne({
        queue,
        snapshot: deps.snapshot,
        assumeCache: deps.assumeCache,
        binder: deps.binder,
        options: deps.options,
        onUnschedulable: (pod, error) => this.unschedulable(pod, error),
        onBindError: (pod, error) => this.bindFailed(pod, error),
      });
    } catch (error) {
      // A placement bug must not kill the leader's loop; the pod stays in flight and is logged.
      deps.logger.error({ err: error }, 'scheduling attempt failed');
      deps.metrics?.attempt(AttemptResult.Error, (performance.now() - queue.poppedAt) / 1000);
      return true;
    }
    if (result.outcome === 'closed') return false;
    const key = podKey(result.pod);
    if (!this.firstQueued.has(key)) this.firstQueued.set(key, queue.poppedAt);
    if (result.outcome === 'unschedulable') {
      deps.metrics?.attempt(
        AttemptResult.Unschedulable,
        (performance.now() - queue.poppedAt) / 1000,
      );
      return true;
    }
    this.track(result.pod, result.nodeName, result.binding, queue.poppedAt);
    return true;
  }

  private track(pod: Pod, nodeName: string, binding: Promise<boolean>, started: number): void {
    const key = podKey(pod);
    // Read now: the informer may see the bind (and forget the pod) before the bind call returns.
    const firstQueued = this.firstQueued.get(key) ?? started;
    const settled = binding.then((bound) => {
      this.inflight.delete(settled);
      this.onBindSettled?.();
      this.onBindSettled = undefined;
      const now = performance.now();
      this.deps.metrics?.attempt(
        bound ? AttemptResult.Scheduled : AttemptResult.Error,
        (now - started) / 1000,
      );
      if (!bound) return bound;
      this.deps.metrics?.scheduled((now - firstQueued) / 1000);
      this.firstQueued.delete(key);
      this.deps.logger.debug(
        { namespace: pod.metadata.namespace, pod: pod.metadata.name, node: nodeName },
        'bound',
      );
      void this.deps.reporter.scheduled(this.deps.latest(pod) ?? pod, nodeName);
      return bound;
    });
    this.inflight.add(settled);
  }

  /**
   * NotFound (the pod is gone) and Conflict (already bound, or being deleted) are final: the pod
   * leaves the queue; the informers bring the truth. Anything else is retried after back-off.
   */
  private bindFailed(pod: Pod, error: unknown): void {
    const final =
      isBosunError(error, ErrorCode.NotFound) || isBosunError(error, ErrorCode.Conflict);
    if (final) this.forget(pod);
    this.deps.logger.warn(
      { err: error, namespace: pod.metadata.namespace, pod: pod.metadata.name },
      final ? 'bind refused; dropping the pod' : 'bind failed; retrying after back-off',
    );
  }

  private unschedulable(pod: Pod, error: FitError): void {
    const { deps } = this;
    deps.logger.info(
      { namespace: pod.metadata.namespace, pod: pod.metadata.name, reason: error.message },
      'unschedulable',
    );
    const current = deps.latest(pod) ?? pod;
    deps.reporter
      .unschedulable(current, error.message)
      .catch((e: unknown) =>
        deps.logger.warn({ err: e, pod: pod.metadata.name }, 'could not report unschedulable pod'),
      );
  }

  /** Assumed pods whose bind was never observed give their room back (at most once a second). */
  private cleanupAssumed(): void {
    const now = performance.now();
    if (now - this.lastCleanup < ASSUMED_CLEANUP_MS) return;
    this.lastCleanup = now;
    for (const pod of this.deps.assumeCache.cleanupExpired()) {
      this.deps.logger.warn({ pod: pod.metadata.name }, 'assumed pod never confirmed; forgotten');
    }
  }
}
