import type { Pod, Service } from '@bosun/api-types';
import { parseTime } from '@bosun/controller-kit';
import { readyCondition } from '../workloads/pod-state';
import { podIps } from './pod-endpoint';

interface Seen {
  readonly pods: Map<string, number>;
}

/**
 * Kubernetes' TriggerTimeTracker, for `endpoints.kubernetes.io/last-change-trigger-time`: the
 * time of the earliest change, since the Service's last sync, that this sync publishes — a pod
 * that got an address or whose readiness changed (its Ready condition's transition, else its creation) or the Service's
 * creation on its first sync. The proxy measures network programming latency from it.
 */
export class TriggerTimeTracker {
  private readonly seen = new Map<string, Seen>();

  /** Epoch ms, or undefined when nothing that this sync publishes changed. */
  compute(key: string, service: Service, pods: readonly Pod[]): number | undefined {
    const before = this.seen.get(key);
    const now: Seen = { pods: new Map() };
    let earliest = before ? Number.POSITIVE_INFINITY : timeOf(service.metadata.creationTimestamp);
    for (const pod of pods) {
      // A pod without an address is in no endpoints yet: it changes nothing published.
      if (podIps(pod).length === 0) continue;
      const at = podTriggerTime(pod);
      now.pods.set(pod.metadata.uid ?? pod.metadata.name ?? '', at);
      if (before?.pods.get(pod.metadata.uid ?? pod.metadata.name ?? '') !== at) {
        earliest = Math.min(earliest, at);
      }
    }
    this.seen.set(key, now);
    return Number.isFinite(earliest) && earliest > 0 ? earliest : undefined;
  }

  forget(key: string): void {
    this.seen.delete(key);
  }
}

function podTriggerTime(pod: Pod): number {
  return timeOf(readyCondition(pod)?.lastTransitionTime ?? pod.metadata.creationTimestamp);
}

function timeOf(value: string | undefined): number {
  return parseTime(value) ?? Number.POSITIVE_INFINITY;
}
