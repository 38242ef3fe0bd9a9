import { realClock, type Clock } from './clock';
import { Heap } from './heap';
import { podKey, type Pod } from './types';

export interface QueuedPodInfo {
  pod: Pod;
  readonly key: string;
  /** When the pod last entered the queue (or last failed): orders activeQ, starts back-off. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that rejected it last time (for future per-event requeue hints). */
  unschedulablePlugins: ReadonlySet<string>;
  /** Arrival order: first in, first out among equal priority and timestamp. */
  seq: number;
}

export const ClusterEvent = {
  NodeAdd: 'NodeAdd',
  NodeUpdate: 'NodeUpdate',
  AssignedPodDelete: 'AssignedPodDelete',
} as const;
export type ClusterEvent = (typeof ClusterEvent)[keyof typeof ClusterEvent];

export interface SchedulingQueueOptions {
  readonly clock?: Clock;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even without an event (default 5 min). */
  readonly unschedulableTimeoutMs?: number;
}

type Where = 'active' | 'backoff' | 'unschedulable' | 'inflight';

/**
 * kube-scheduler's three queues. activeQ: ready pods, highest priority then oldest first.
 * backoffQ: pods that failed recently, waiting 1 s doubling to 10 s per attempt. unschedulableQ:
 * pods that fit nowhere, parked until a cluster event may have changed that (or 5 min pass).
 * Heaps use lazy deletion: an entry counts only while `where` still points at that queue.
 */
export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;
  private readonly pods = new Map<string, { info: QueuedPodInfo; where: Where }>();
  private readonly active = new Heap<QueuedPodInfo>((a, b) => {
    const pa = a.pod.spec.priority ?? 0;
    const pb = b.pod.spec.priority ?? 0;
    if (pa !== pb) return pa > pb;
    return a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq;
  });
  private readonly backoff = new Heap<QueuedPodInfo>(
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly waiters: Array<(info: QueuedPodInfo | undefined) => void> = [];
  private cycle = 0;
  private seq = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private timer: unknown;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = opts.unschedulableTimeoutMs ?? 5 * 60_000;
  }

  /** Flushes back-off every second and parked pods every 30 s, on the clock. */
  run(): void {
    const tick = (): void => {
      this.flush();
      this.timer = this.clock.setTimeout(tick, 1000);
    };
    this.timer = this.clock.setTimeout(tick, 1000);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) return this.update(pod);
    const info: QueuedPodInfo = {
      pod,
      key,
      timestamp: this.clock.now(),
      attempts: 0,
      unschedulablePlugins: new Set(),
      seq: 0,
    };
    this.toActive(info);
  }

  /** The pod changed: a parked pod may fit now, so it goes back to be tried. */
  update(pod: Pod): void {
    const entry = this.pods.get(podKey(pod));
    if (!entry) return this.add(pod);
    entry.info.pod = pod;
    if (entry.where === 'unschedulable') this.requeue(entry.info);
  }

  delete(pod: Pod): void {
    this.pods.delete(podKey(pod));
  }

  /** The next pod to schedule; waits while none is ready; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const info = this.tryPop();
    if (info || this.closed) return Promise.resolve(info);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  tryPop(): QueuedPodInfo | undefined {
    this.flushBackoff();
    for (let info = this.active.pop(); info; info = this.active.pop()) {
      const entry = this.pods.get(info.key);
      if (entry?.info !== info || entry.where !== 'active') continue;
      return this.startAttempt(entry);
    }
    return undefined;
  }

  /** The current scheduling cycle, to pass back to `addUnschedulable`. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /**
   * The attempt found no node. If a cluster event arrived while it was being scheduled, that
   * event may have made room, so back off instead of parking until the next event.
   */
  addUnschedulable(
    info: QueuedPodInfo,
    podCycle: number,
    plugins: ReadonlySet<string> = new Set(),
  ): void {
    const entry = this.pods.get(info.key);
    if (!entry || entry.where !== 'inflight') return;
    info.timestamp = this.clock.now();
    info.unschedulablePlugins = plugins;
    if (this.moveRequestCycle >= podCycle) this.toBackoff(info);
    else entry.where = 'unschedulable';
  }

  /** The attempt failed for another reason (a bind error): retry after back-off. */
  addBackoff(info: QueuedPodInfo): void {
    const entry = this.pods.get(info.key);
    if (!entry || entry.where !== 'inflight') return;
    info.timestamp = this.clock.now();
    this.toBackoff(info);
  }

  /** The pod was bound: forget it. */
  done(key: string): void {
    if (this.pods.get(key)?.where === 'inflight') this.pods.delete(key);
  }

  /** Something changed that may let parked pods fit: retry them all. */
  onClusterEvent(_event: ClusterEvent): void {
    this.moveRequestCycle = this.cycle;
    for (const entry of this.pods.values())
      if (entry.where === 'unschedulable') this.requeue(entry.info);
  }

  /** Moves finished back-offs to activeQ and long-parked pods out of unschedulableQ. */
  flush(): void {
    this.flushBackoff();
    const now = this.clock.now();
    for (const entry of this.pods.values()) {
      if (
        entry.where === 'unschedulable' &&
        now - entry.info.timestamp >= this.unschedulableTimeoutMs
      ) {
        this.requeue(entry.info);
      }
    }
  }

  lengths(): { active: number; backoff: number; unschedulable: number } {
    const n = { active: 0, backoff: 0, unschedulable: 0 };
    for (const { where } of this.pods.values()) if (where !== 'inflight') n[where]++;
    return n;
  }

  /** Back-off for a pod with `attempts` failures: initial * 2^(attempts-1), capped. */
  backoffDuration(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.initialBackoffMs * 2 ** Math.min(attempts - 1, 30), this.maxBackoffMs);
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info.attempts);
  }

  private startAttempt(entry: { info: QueuedPodInfo; where: Where }): QueuedPodInfo {
    entry.where = 'inflight';
    entry.info.attempts++;
    this.cycle++;
    return entry.info;
  }

  private requeue(info: QueuedPodInfo): void {
    if (this.clock.now() < this.backoffExpiry(info)) this.toBackoff(info);
    else this.toActive(info);
  }

  private toActive(info: QueuedPodInfo): void {
    const waiter = this.waiters.shift();
    const entry = { info, where: 'active' as Where };
    info.seq = ++this.seq;
    this.pods.set(info.key, entry);
    if (waiter) return waiter(this.startAttempt(entry));
    this.active.push(info);
  }

  private toBackoff(info: QueuedPodInfo): void {
    this.pods.set(info.key, { info, where: 'backoff' });
    this.backoff.push(info);
  }

  private flushBackoff(): void {
    const now = this.clock.now();
    for (
      let next = this.backoff.peek();
      next && this.backoffExpiry(next) <= now;
      next = this.backoff.peek()
    ) {
      this.backoff.pop();
      if (this.pods.get(next.key)?.where === 'backoff' && this.pods.get(next.key)?.info === next) {
        this.toActive(next);
      }
    }
  }
}
