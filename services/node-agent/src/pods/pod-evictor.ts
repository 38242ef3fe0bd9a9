import { ErrorCode, isBosunError } from '@bosun/common';
import { teardownPod } from './pod-terminator';
import {
  PodPhase,
  type ContainerState,
  type ContainerStatus,
  type Pod,
  type PodCondition,
  type PodStatus,
} from './pod-types';
import { podEvent, type SyncContext } from './sync-context';

/** Why the agent evicts a pod (the kubelet's eviction message). */
export interface PodEviction {
  readonly message: string;
}

/** SIGKILL: what a container stopped by a hard eviction exits with. */
const KILLED = 137;

function stoppedState(s: ContainerState, now: string, containerID?: string): ContainerState {
  if (s.terminated) return s;
  return {
    terminated: {
      exitCode: KILLED,
      reason: 'Error',
      ...(s.running?.startedAt ? { startedAt: s.running.startedAt } : {}),
      finishedAt: now,
      ...(containerID ? { containerID } : {}),
    },
  };
}

const stopped =
  (now: string) =>
  (c: ContainerStatus): ContainerStatus => ({
    ...c,
    state: stoppedState(c.state, now, c.containerID),
    ready: false,
    started: false,
  });

/**
 * The status the kubelet writes for a pod it evicted: phase Failed, reason Evicted, the message,
 * a DisruptionTarget condition (TerminationByKubelet), not ready, every container terminated.
 */
export function evictedStatus(pod: Pod, message: string, now: string): PodStatus {
  const prior = pod.status ?? {};
  const keep = (prior.conditions ?? []).filter(
    (c) => !['DisruptionTarget', 'Ready', 'ContainersReady'].includes(c.type),
  );
  const cond = (type: string, status: PodCondition['status'], reason: string, msg?: string) => {
    const before = prior.conditions?.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      ...(msg ? { message: msg } : {}),
      lastProbeTime: null,
      lastTransitionTime:
        before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
    };
  };
  return {
    ...prior,
    phase: PodPhase.Failed,
    reason: 'Evicted',
    message,
    conditions: [
      ...keep,
      cond('DisruptionTarget', 'True', 'TerminationByKubelet', message),
      cond('Ready', 'False', 'PodCompleted'),
      cond('ContainersReady', 'False', 'PodCompleted'),
    ],
    containerStatuses: (prior.containerStatuses ?? []).map(stopped(now)),
    ...(prior.initContainerStatuses
      ? { initContainerStatuses: prior.initContainerStatuses.map(stopped(now)) }
      : {}),
  };
}

/**
 * Evicts a pod as the kubelet does under node pressure: an `Evicted` event, its containers
 * killed at once (hard eviction has no grace period), its sandbox and volumes removed (which is
 * what frees the disk), then the Failed status. The pod object stays for its owner to see.
 */
export async function evictPod(ctx: SyncContext, pod: Pod, eviction: PodEviction): Promise<void> {
  podEvent(ctx, pod, 'Warning', 'Evicted', eviction.message);
  await teardownPod(ctx, pod.metadata.uid ?? '', pod, 0);
  const now = new Date(ctx.clock.now()).toISOString();
  try {
    await ctx.cluster.updatePodStatus(pod, evictedStatus(pod, eviction.message, now));
  } catch (e) {
    if (!isBosunError(e, ErrorCode.NotFound)) throw e;
  }
  ctx.logger.info(
    { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, message: eviction.message },
    'pod evicted',
  );
}
