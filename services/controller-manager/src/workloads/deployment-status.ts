import { formatTime } from '@bosun/controller-kit';
import { getCondition, removeCondition, setCondition } from './conditions';
import { deploymentComplete, maxUnavailable, replicasOf, sum } from './deployment-util';
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from './types';

export const Reason = {
  NewRSAvailable: 'NewReplicaSetAvailable',
  RSUpdated: 'ReplicaSetUpdated',
  NewRSCreated: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumAvailable: 'MinimumReplicasAvailable',
  MinimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

const cond = (
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: number,
): Condition => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: formatTime(now),
  lastTransitionTime: formatTime(now),
});

/** Counts and the Available condition, from the sets' own status (Kubernetes' calculateStatus). */
export function calculateStatus(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: number,
): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const total = sum(all, (rs) => rs.status?.replicas);
  const wanted = sum(all, (rs) => rs.spec.replicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: total,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, wanted - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  let conds = [...(d.status?.conditions ?? [])];
  conds =
    available >= replicasOf(d) - maxUnavailable(d)
      ? setCondition(
          conds,
          cond(
            'Available',
            'True',
            Reason.MinimumAvailable,
            'Deployment has minimum availability.',
            now,
          ),
        )
      : setCondition(
          conds,
          cond(
            'Available',
            'False',
            Reason.MinimumUnavailable,
            'Deployment does not have minimum availability.',
            now,
          ),
        );
  status.conditions = conds;
  return status;
}

/** Replicas came closer to the goal since the last status (Kubernetes' DeploymentProgressing). */
function progressing(old: DeploymentStatus, next: DeploymentStatus): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
    oldOld > newOld
  );
}

function timedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  const c = getCondition(status.conditions, 'Progressing');
  if (!c || d.spec.progressDeadlineSeconds === undefined) return false;
  if (c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + d.spec.progressDeadlineSeconds * 1000 < now;
}

/**
 * The Progressing condition (Kubernetes' syncRolloutStatus): complete, progressing, or past
 * progressDeadlineSeconds. Returns the status and when to look again for a deadline.
 */
export function rolloutStatus(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: number,
): { status: DeploymentStatus; requeueAfter?: number } {
  const status = calculateStatus(d, all, newRS, now);
  const old = d.status ?? {};
  let conds = status.conditions ?? [];
  if (d.spec.progressDeadlineSeconds === undefined) {
    status.conditions = removeCondition(conds, 'Progressing');
    return { status };
  }
  const current = getCondition(conds, 'Progressing');
  const name = newRS?.metadata.name ?? '';
  if (!d.spec.paused && current?.reason !== Reason.TimedOut) {
    if (deploymentComplete(d, status)) {
      conds = setCondition(
        conds,
        cond(
          'Progressing',
          'True',
          Reason.NewRSAvailable,
          `ReplicaSet "${name}" has successfully progressed.`,
          now,
        ),
      );
    } else if (progressing(old, status)) {
      const next = cond(
        'Progressing',
        'True',
        Reason.RSUpdated,
        `ReplicaSet "${name}" is progressing.`,
        now,
      );
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      // Progress renews lastUpdateTime: the deadline counts from the last progress.
      conds = [...removeCondition(conds, 'Progressing'), next];
    } else if (timedOut(d, { ...status, conditions: conds }, now)) {
      conds = setCondition(
        conds,
        cond(
          'Progressing',
          'False',
          Reason.TimedOut,
          `ReplicaSet "${name}" has timed out progressing.`,
          now,
        ),
      );
    }
  }
  status.conditions = conds;
  const c = getCondition(conds, 'Progressing');
  if (!c || d.spec.paused || c.reason === Reason.NewRSAvailable || c.reason === Reason.TimedOut) {
    return { status };
  }
  if (deploymentComplete(d, status)) return { status };
  const due = Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000 + 1000;
  return { status, requeueAfter: Number.isFinite(due) ? Math.max(1000, due - now) : undefined };
}

/** Paused/resumed show on Progressing as Unknown (Kubernetes' checkPausedConditions). */
export function pausedConditions(d: Deployment, now: number): Condition[] | undefined {
  if (d.spec.progressDeadlineSeconds === undefined) return undefined;
  const conds = d.status?.conditions ?? [];
  const c = getCondition(conds, 'Progressing');
  if (c?.reason === Reason.TimedOut) return undefined;
  const pausedCond = c?.reason === Reason.Paused;
  if (d.spec.paused && !pausedCond) {
    return setCondition(
      conds,
      cond('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', now),
    );
  }
  if (!d.spec.paused && pausedCond) {
    return setCondition(
      conds,
      cond('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', now),
    );
  }
  return undefined;
}

export { cond as condition };
