import type { KubeObject } from '@bosun/api-client';
import type { Pod } from '@bosun/api-types';

export type RecordedKind = 'Pod' | 'ReplicaSet' | 'Deployment';

/** One committed change as a watch delivered it. */
export interface Change {
  readonly kind: RecordedKind;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly revision: number;
  readonly object: KubeObject;
}

interface Owned extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string }[] };
  spec?: { replicas?: number };
}

/** Counted toward replicas, as the ReplicaSet controller counts: not terminating, not finished. */
export const isActive = (p: KubeObject): boolean => {
  const pod = p as Pod;
  return (
    !pod.metadata.deletionTimestamp &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed'
  );
};

/** Serving: active, Running and Ready=True. */
export const isReady = (p: KubeObject): boolean => {
  const pod = p as Pod;
  return (
    isActive(p) &&
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
};

/** The workload at one revision. */
export interface Snapshot {
  readonly revision: number;
  /** The Deployment's spec.replicas (undefined before it exists). */
  readonly desired: number | undefined;
  /** Active pods of the workload (the recorder follows only its label). */
  readonly active: number;
  readonly ready: number;
  /** Σ spec.replicas of the ReplicaSets the Deployment owns. */
  readonly replicaSetsDesired: number;
}

/** Replays the changes in revision order: the workload's state after each revision. */
export function snapshots(changes: readonly Change[], deployment: string): Snapshot[] {
  const pods = new Map<string, KubeObject>();
  const sets = new Map<string, Owned>();
  let desired: number | undefined;
  const out: Snapshot[] = [];
  const sorted = [...changes].sort((a, b) => a.revision - b.revision);
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i]!;
    const name = c.object.metadata.name ?? '';
    if (c.kind === 'Pod') {
      if (c.type === 'DELETED') pods.delete(name);
      else pods.set(name, c.object);
    } else if (c.kind === 'ReplicaSet') {
      if (c.type === 'DELETED') sets.delete(name);
      else sets.set(name, c.object as Owned);
    } else if (name === deployment) {
      desired = c.type === 'DELETED' ? undefined : ((c.object as Owned).spec?.replicas ?? 1);
    }
    if (sorted[i + 1]?.revision === c.revision) continue; // one snapshot per revision
    const all = [...pods.values()];
    out.push({
      revision: c.revision,
      desired,
      active: all.filter(isActive).length,
      ready: all.filter(isReady).length,
      replicaSetsDesired: [...sets.values()]
        .filter((rs) =>
          (rs.metadata.ownerReferences ?? []).some(
            (o) => o.kind === 'Deployment' && o.name === deployment,
          ),
        )
        .reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
    });
  }
  return out;
}

/** A stretch of history after one change a test made (from the revision before it). */
export interface Segment {
  readonly label: string;
  /** A revision seen before the change was issued. */
  readonly from: number;
  /** Up to this revision (inclusive); open when absent. */
  readonly to?: number;
  /** Also check availability: a rolling update in progress, nothing else disrupting pods. */
  readonly rollingUpdate?: boolean;
}

export interface RollingUpdateLimits {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

export interface Violation {
  readonly label: string;
  readonly revision: number;
  readonly what: string;
}

export interface CheckResult {
  readonly violations: Violation[];
  /** How many states were checked (a check over nothing proves nothing). */
  readonly checked: number;
  readonly minReady: number;
  readonly maxActive: number;
}

/**
 * Kubernetes' rolling-update guarantees, checked at every revision of each segment:
 * - never more than `desired + maxSurge` active pods, nor ReplicaSets desiring more than that,
 *   where `desired` is the larger of the Deployment's replicas before and after the change
 *   in progress (a scale-down removes pods after it is asked for, never adds any);
 * - during a rolling update (no other disruption), never fewer than `desired - maxUnavailable`
 *   ready pods.
 */
export function checkRollingUpdate(
  snaps: readonly Snapshot[],
  segments: readonly Segment[],
  limits: RollingUpdateLimits,
): CheckResult {
  const violations: Violation[] = [];
  let checked = 0;
  let minReady = Number.POSITIVE_INFINITY;
  let maxActive = 0;
  for (const seg of segments) {
    const start = [...snaps].reverse().find((s) => s.revision <= seg.from);
    let peakDesired = start?.desired ?? 0;
    const inSeg = snaps.filter(
      (s) =>
        s.revision >= (start?.revision ?? seg.from) &&
        (seg.to === undefined || s.revision <= seg.to),
    );
    for (const s of inSeg) {
      if (s.desired === undefined) continue;
      checked++;
      peakDesired = Math.max(peakDesired, s.desired);
      const bound = peakDesired + limits.maxSurge;
      maxActive = Math.max(maxActive, s.active);
      if (s.active > bound) {
        violations.push({
          label: seg.label,
          revision: s.revision,
          what: `${s.active} active pods > ${bound}`,
        });
      }
      if (s.replicaSetsDesired > bound) {
        violations.push({
          label: seg.label,
          revision: s.revision,
          what: `ReplicaSets desire ${s.replicaSetsDesired} pods > ${bound}`,
        });
      }
      if (seg.rollingUpdate) {
        minReady = Math.min(minReady, s.ready);
        const floor = s.desired - limits.maxUnavailable;
        if (s.ready < floor) {
          violations.push({
            label: seg.label,
            revision: s.revision,
            what: `${s.ready} ready pods < ${floor}`,
          });
        }
      }
    }
  }
  return { violations, checked, minReady, maxActive };
}
