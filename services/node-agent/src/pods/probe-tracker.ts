import type { Probe } from './pod-types';

export const ProbeKind = {
  Liveness: 'liveness',
  Readiness: 'readiness',
  Startup: 'startup',
} as const;
export type ProbeKind = (typeof ProbeKind)[keyof typeof ProbeKind];

interface ProbeState {
  /** Which container run this state belongs to: a restart starts over. */
  containerId: string;
  successes: number;
  failures: number;
  /** The thresholded result; undefined until a threshold was reached. */
  result: boolean | undefined;
  nextAt: number;
}

/**
 * Per container and probe kind: when the next probe is due, and the result after
 * successThreshold / failureThreshold consecutive outcomes, as the kubelet's prober keeps it.
 */
export class ProbeTracker {
  private readonly states = new Map<string, ProbeState>();

  /** Whether `kind` is due for the container run `containerId` started at `startedAt`. */
  due(key: string, containerId: string, probe: Probe, startedAt: number, now: number): boolean {
    const s = this.state(key, containerId, startedAt + (probe.initialDelaySeconds ?? 0) * 1000);
    return now >= s.nextAt;
  }

  /** Records an outcome; returns the thresholded result and whether it just flipped. */
  record(
    key: string,
    containerId: string,
    probe: Probe,
    ok: boolean,
    now: number,
  ): { result: boolean | undefined; changed: boolean } {
    const s = this.state(key, containerId, now);
    const before = s.result;
    if (ok) {
      s.successes++;
      s.failures = 0;
      if (s.successes >= (probe.successThreshold ?? 1)) s.result = true;
    } else {
      s.failures++;
      s.successes = 0;
      if (s.failures >= (probe.failureThreshold ?? 3)) s.result = false;
    }
    s.nextAt = now + (probe.periodSeconds ?? 10) * 1000;
    return { result: s.result, changed: before !== s.result };
  }

  result(key: string, containerId: string): boolean | undefined {
    const s = this.states.get(key);
    return s && s.containerId === containerId ? s.result : undefined;
  }

  /** Milliseconds until the earliest probe of `keys` is due (for the pod's next sync). */
  nextDue(prefix: string, now: number): number | undefined {
    let min: number | undefined;
    for (const [k, s] of this.states) {
      if (!k.startsWith(prefix) || !Number.isFinite(s.nextAt)) continue;
      const wait = Math.max(0, s.nextAt - now);
      min = min === undefined ? wait : Math.min(min, wait);
    }
    return min;
  }

  /** A probe that is done for this container run (a startup probe that succeeded). */
  park(key: string): void {
    const s = this.states.get(key);
    if (s) s.nextAt = Number.POSITIVE_INFINITY;
  }

  /** Restarts the failure count (after a liveness kill, the next run starts clean). */
  reset(key: string): void {
    this.states.delete(key);
  }

  forgetPrefix(prefix: string): void {
    for (const k of [...this.states.keys()]) if (k.startsWith(prefix)) this.states.delete(k);
  }

  private state(key: string, containerId: string, firstAt: number): ProbeState {
    let s = this.states.get(key);
    if (!s || s.containerId !== containerId) {
      s = { containerId, successes: 0, failures: 0, result: undefined, nextAt: firstAt };
      this.states.set(key, s);
    }
    return s;
  }
}
