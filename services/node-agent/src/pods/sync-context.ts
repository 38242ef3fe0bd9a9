import type { Logger } from '@bosun/common';
import type { Clock } from '@bosun/controller-kit';
import type { ContainerRuntime, ContainerStatus } from '@bosun/runtime';
import type { ImageProvider } from '../images/image-provider';
import type { ClusterPort, NodeEvent } from '../ports/cluster-port';
import type { CrashBackoff } from './crash-backoff';
import type { Pod } from './pod-types';
import type { ProbeTracker } from './probe-tracker';
import type { RuntimeSnapshot } from './runtime-snapshot';

/** What the agent remembers about one pod between syncs (kept small: hollow nodes hold many). */
export interface PodMemory {
  sandboxId?: string;
  startTime?: string;
  /** Why a container is not running, when it waits (image, config, back-off). */
  readonly waiting: Map<string, { reason: string; message?: string }>;
  readonly imageIDs: Map<string, string>;
  /** Restarts already announced with a BackOff event (`name/attempt`). */
  readonly backoffAnnounced: Set<string>;
  lastWritten?: string;
  /** The runtime listing number that reflects this pod's last change (see RuntimeSnapshot). */
  needSeq: number;
  /**
   * Containers this pod created, as read right after: merged into listings older than `needSeq`
   * so the next sync needs no fresh relist yet still sees them (no duplicate start).
   */
  overlay?: readonly ContainerStatus[];
}

export const newPodMemory = (): PodMemory => ({
  waiting: new Map(),
  imageIDs: new Map(),
  backoffAnnounced: new Set(),
  needSeq: 0,
});

/** The dependencies of a pod sync, shared by all pods of one agent. */
export interface SyncContext {
  readonly runtime: ContainerRuntime;
  readonly cluster: ClusterPort;
  readonly images: ImageProvider;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly backoff: CrashBackoff;
  readonly probes: ProbeTracker;
  /** The shared container relist; invalidate it after changing anything in the runtime. */
  readonly snapshot: RuntimeSnapshot;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly podsDir: string;
  readonly materializeVolumes: boolean;
  readonly nodeCpu: number;
  readonly nodeMemoryBytes: number;
  readonly recordEvents: boolean;
}

/** Records an Event about the pod (or one of its containers); never fails the sync. */
export function podEvent(
  ctx: SyncContext,
  pod: Pod,
  type: NodeEvent['type'],
  reason: string,
  message: string,
  container?: string,
): void {
  if (!ctx.recordEvents) return;
  const event: NodeEvent = {
    target: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid,
      fieldPath: container ? `spec.containers{${container}}` : undefined,
    },
    type,
    reason,
    message,
  };
  ctx.cluster
    .recordEvent(event)
    .catch((e: unknown) => ctx.logger.debug({ err: e, reason }, 'event not recorded'));
}
