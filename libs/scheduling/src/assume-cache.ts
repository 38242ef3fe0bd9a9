import { realClock, type Clock } from './clock';
import type { ClusterSnapshot } from './cluster-snapshot';
import { podKey, type Pod } from './types';

interface Assumed {
  readonly pod: Pod;
  /** Set once the bind call returned; the pod is dropped if its bind is not seen by then. */
  deadline?: number;
}

/**
 * Pods the scheduler placed but whose bind the informer has not confirmed yet. They count in the
 * snapshot immediately, so the next cycle does not place a second pod into the same room. An
 * assumed pod leaves when its bind is observed (confirm), fails (forget) or is never seen (expiry).
 */
export class AssumeCache {
  private readonly assumed = new Map<string, Assumed>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(
    private readonly snapshot: ClusterSnapshot,
    opts: { clock?: Clock; ttlMs?: number } = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.ttlMs = opts.ttlMs ?? 30_000;
  }

  /** Counts `pod` on `nodeName` from now on. */
  assume(pod: Pod, nodeName: string): void {
    const bound: Pod = { ...pod, spec: { ...pod.spec, nodeName } };
    this.assumed.set(podKey(pod), { pod: bound });
    this.snapshot.addPod(bound, nodeName);
  }

  /** The bind call succeeded: start the clock on seeing it confirmed. */
  finishBinding(pod: Pod): void {
    const entry = this.assumed.get(podKey(pod));
    if (entry) entry.deadline = this.clock.now() + this.ttlMs;
  }

  /** The bind failed: give the room back. */
  forget(pod: Pod): void {
    const key = podKey(pod);
    if (!this.assumed.delete(key)) return;
    this.snapshot.removePod(key);
  }

  /** The informer saw the pod bound (to whichever node): the real object replaces the guess. */
  confirm(pod: Pod): void {
    this.assumed.delete(podKey(pod));
    if (pod.spec.nodeName) this.snapshot.addPod(pod, pod.spec.nodeName);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  get size(): number {
    return this.assumed.size;
  }

  /** Drops assumed pods whose bind was never confirmed in time; returns them. */
  cleanupExpired(): Pod[] {
    const now = this.clock.now();
    const expired: Pod[] = [];
    for (const [key, entry] of this.assumed) {
      if (entry.deadline === undefined || entry.deadline > now) continue;
      this.assumed.delete(key);
      this.snapshot.removePod(key);
      expired.push(entry.pod);
    }
    return expired;
  }
}
