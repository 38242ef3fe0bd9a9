import type { ContainerStatus as RuntimeContainer } from '@bosun/runtime';
import {
  PodPhase,
  RestartPolicy,
  type ContainerState,
  type ContainerStatus,
  type Pod,
  type PodCondition,
  type PodStatus,
} from './pod-types';

/** What the agent knows about one spec container, gathered during a sync. */
export interface ContainerView {
  readonly name: string;
  readonly image: string;
  readonly imageID?: string;
  /** The newest runtime container for this name, and the one before it. */
  readonly latest?: RuntimeContainer;
  readonly previous?: RuntimeContainer;
  readonly restartCount: number;
  /** Set when the container is not running and waits: CrashLoopBackOff, ErrImagePull... */
  readonly waiting?: { reason: string; message?: string };
  readonly ready: boolean;
  readonly started: boolean;
}

export interface StatusInput {
  readonly pod: Pod;
  readonly init: readonly ContainerView[];
  readonly containers: readonly ContainerView[];
  readonly initialized: boolean;
  /** An init container failed for good (restartPolicy Never). */
  readonly initFailed: boolean;
  readonly podIP?: string;
  readonly hostIP: string;
  readonly startTime: string;
  readonly now: string;
}

export const containerID = (id: string): string => `bosun://${id}`;

function terminated(c: RuntimeContainer) {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      reason: c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      containerID: containerID(c.id),
    },
  };
}

function stateOf(v: ContainerView): ContainerState {
  if (v.waiting) return { waiting: { ...v.waiting } };
  const c = v.latest;
  if (!c) return { waiting: { reason: 'ContainerCreating' } };
  if (c.state === 'running') return { running: { startedAt: c.startedAt } };
  if (c.state === 'exited') return terminated(c);
  return { waiting: { reason: 'ContainerCreating' } };
}

function lastStateOf(v: ContainerView): ContainerState {
  // In back-off the latest run is the last state; otherwise the run before it.
  const last = v.waiting && v.latest?.state === 'exited' ? v.latest : v.previous;
  return last && last.state === 'exited' ? terminated(last) : {};
}

export function containerStatus(v: ContainerView): ContainerStatus {
  const state = stateOf(v);
  return {
    name: v.name,
    state,
    lastState: lastStateOf(v),
    ready: v.ready && state.running !== undefined,
    started: state.running !== undefined && v.started,
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID ?? '',
    ...(v.latest ? { containerID: containerID(v.latest.id) } : {}),
  };
}

/** Kubernetes' pod phase from its containers' states and the restart policy. */
export function podPhase(input: StatusInput, statuses: readonly ContainerStatus[]): PodPhase {
  if (input.initFailed) return PodPhase.Failed;
  if (!input.initialized) return PodPhase.Pending;
  let pending = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  let failed = 0;
  for (const s of statuses) {
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
      else failed++;
    } else if (s.lastState.terminated) {
      stopped++; // waiting to restart
    } else pending++;
  }
  if (pending > 0) return PodPhase.Pending;
  if (running > 0) return PodPhase.Running;
  const policy = input.pod.spec.restartPolicy ?? RestartPolicy.Always;
  if (policy === RestartPolicy.Always) return PodPhase.Running;
  if (policy === RestartPolicy.OnFailure)
    return stopped === succeeded ? PodPhase.Succeeded : PodPhase.Running;
  return failed > 0 ? PodPhase.Failed : PodPhase.Succeeded;
}

function condition(
  pod: Pod,
  type: string,
  ok: boolean,
  now: string,
  reason?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const prior = pod.status?.conditions?.find((c) => c.type === type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      prior?.status === status && prior.lastTransitionTime ? prior.lastTransitionTime : now,
    ...(ok || !reason ? {} : { reason }),
  };
}

/** The whole pod status the agent writes through pods/status. */
export function buildPodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const init = input.init.map(containerStatus);
  const containers = input.containers.map(containerStatus);
  const phase = podPhase(input, containers);
  const terminal = phase === PodPhase.Succeeded || phase === PodPhase.Failed;
  const containersReady = !terminal && containers.every((c) => c.ready);
  const initDone = input.initialized || terminal;
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const status: PodStatus = {
    phase,
    conditions: [
      condition(pod, 'PodReadyToStartContainers', true, now),
      condition(pod, 'Initialized', initDone, now, 'ContainersNotInitialized'),
      condition(pod, 'Ready', containersReady, now, notReadyReason),
      condition(pod, 'ContainersReady', containersReady, now, notReadyReason),
      condition(pod, 'PodScheduled', true, now),
    ],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: input.startTime,
    containerStatuses: containers,
  };
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (init.length > 0) status.initContainerStatuses = init;
  return status;
}
