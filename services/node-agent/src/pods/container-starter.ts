import { isBosunError } from '@bosun/common';
import { kubernetesReason, imageErrorReason, type PullPolicy } from '@bosun/image';
import type {
  ContainerConfig,
  ContainerStatus as RuntimeContainer,
  Resources,
} from '@bosun/runtime';
import { isNoSpace } from '../disk/no-space';
import { ContainerConfigError, resolveEnv } from './container-env';
import { PodLabel } from './labels';
import { containerMounts, prepareVolumes } from './pod-volumes';
import type { Container, Pod } from './pod-types';
import { Quantity } from '@bosun/api-types';
import { podEvent, type PodMemory, type SyncContext } from './sync-context';

export interface StartRequest {
  readonly pod: Pod;
  readonly memory: PodMemory;
  readonly sandboxId: string;
  readonly podIP?: string;
  readonly container: Container;
  readonly attempt: number;
  readonly init: boolean;
  /** Earlier runtime containers of this name (older ones are removed; the last is kept). */
  readonly earlier: readonly RuntimeContainer[];
}

const backoffKey = (pod: Pod, name: string, what: string) => `${pod.metadata.uid}/${name}/${what}`;

export interface StartResult {
  /** Ms to wait before retrying; 0 when started. */
  readonly retryMs: number;
  /** The runtime container, when one was created. */
  readonly id?: string;
}

/**
 * Pull, resolve env and volumes, create and start one container run. A failure sets the
 * container's waiting reason (ErrImagePull / ImagePullBackOff, CreateContainerConfigError,
 * RunContainerError) and an Event, and says when to retry.
 */
export async function startContainer(ctx: SyncContext, req: StartRequest): Promise<StartResult> {
  const { pod, memory, container } = req;
  const now = ctx.clock.now();
  const pullKey = backoffKey(pod, container.name, 'pull');
  const wait = ctx.backoff.remaining(pullKey, now);
  if (wait > 0 && memory.waiting.get(container.name)?.reason.startsWith('ErrImage')) {
    memory.waiting.set(container.name, {
      reason: 'ImagePullBackOff',
      message: `Back-off pulling image "${container.image}"`,
    });
    return { retryMs: wait };
  }
  let config: ContainerConfig;
  try {
    config = await containerConfig(ctx, req);
  } catch (e) {
    return { retryMs: configFailure(ctx, req, e, pullKey) };
  }
  let id: string | undefined;
  try {
    for (const old of req.earlier.slice(0, -1)) await ctx.runtime.removeContainer(old.id);
    id = await ctx.runtime.createContainer(req.sandboxId, config);
  } catch (e) {
    // Creating writes the container's state, rootfs and log files: a full disk shows here.
    return { retryMs: runFailure(ctx, req, 'CreateContainerError', e) };
  }
  podEvent(ctx, pod, 'Normal', 'Created', `Created container ${container.name}`, container.name);
  try {
    await ctx.runtime.startContainer(id);
  } catch (e) {
    return { retryMs: runFailure(ctx, req, 'RunContainerError', e), id };
  }
  podEvent(ctx, pod, 'Normal', 'Started', `Started container ${container.name}`, container.name);
  memory.waiting.delete(container.name);
  return { retryMs: 0, id };
}

/** A create or start that failed: the waiting reason, a Failed event, a back-off before retrying. */
function runFailure(
  ctx: SyncContext,
  req: StartRequest,
  reason: 'CreateContainerError' | 'RunContainerError',
  e: unknown,
): number {
  const { pod, memory, container } = req;
  const now = ctx.clock.now();
  const message = e instanceof Error ? e.message : String(e);
  memory.waiting.set(container.name, { reason, message });
  podEvent(ctx, pod, 'Warning', 'Failed', `Error: ${message}`, container.name);
  const key = backoffKey(pod, container.name, 'run');
  ctx.backoff.next(key, now, 0);
  return Math.max(1000, ctx.backoff.remaining(key, now));
}

function configFailure(ctx: SyncContext, req: StartRequest, e: unknown, pullKey: string): number {
  const { pod, memory, container } = req;
  const now = ctx.clock.now();
  if (e instanceof ContainerConfigError) {
    const message = e.message;
    if (memory.waiting.get(container.name)?.message !== message) {
      podEvent(ctx, pod, 'Warning', 'Failed', `Error: ${message}`, container.name);
    }
    memory.waiting.set(container.name, { reason: e.reason, message });
    return 2000;
  }
  if (imageErrorReason(e) !== undefined || isBosunError(e)) {
    const reason = imageErrorReason(e) !== undefined ? kubernetesReason(e) : 'ErrImagePull';
    const message = e instanceof Error ? e.message : String(e);
    podEvent(
      ctx,
      pod,
      'Warning',
      'Failed',
      `Failed to pull image "${container.image}": ${message}`,
      container.name,
    );
    podEvent(ctx, pod, 'Warning', 'Failed', `Error: ${reason}`, container.name);
    memory.waiting.set(container.name, { reason, message });
    ctx.backoff.next(pullKey, now, 0);
    return Math.max(1, ctx.backoff.remaining(pullKey, now));
  }
  // The disk filled while writing the pod's volumes (emptyDir, configMap, secret files).
  if (isNoSpace(e)) return runFailure(ctx, req, 'CreateContainerError', e);
  throw e;
}

async function containerConfig(ctx: SyncContext, req: StartRequest): Promise<ContainerConfig> {
  const { pod, memory, container } = req;
  const provided = await ctx.images.ensure(
    container.image ?? '',
    container.imagePullPolicy as PullPolicy | undefined,
    () =>
      podEvent(ctx, pod, 'Normal', 'Pulling', `Pulling image "${container.image}"`, container.name),
  );
  podEvent(
    ctx,
    pod,
    'Normal',
    'Pulled',
    provided.pulled
      ? `Successfully pulled image "${container.image}"`
      : `Container image "${container.image}" already present on machine`,
    container.name,
  );
  memory.imageIDs.set(container.name, provided.imageID);
  const env = await resolveEnv({
    pod,
    container,
    cluster: ctx.cluster,
    podIP: req.podIP,
    hostIP: ctx.hostIP,
    nodeCpu: ctx.nodeCpu,
    nodeMemoryBytes: ctx.nodeMemoryBytes,
  });
  const volumes = await prepareVolumes(pod, {
    podsDir: ctx.podsDir,
    cluster: ctx.cluster,
    materialize: ctx.materializeVolumes,
  });
  return {
    name: container.name,
    image: provided.image,
    command: container.command,
    args: container.args,
    env,
    workingDir: container.workingDir,
    mounts: ctx.materializeVolumes ? containerMounts(pod, container, volumes) : [],
    resources: resources(container),
    capabilities: container.securityContext?.capabilities,
    privileged: container.securityContext?.privileged,
    labels: {
      [PodLabel.Uid]: pod.metadata.uid ?? '',
      [PodLabel.Name]: pod.metadata.name ?? '',
      [PodLabel.Namespace]: pod.metadata.namespace ?? 'default',
      [PodLabel.Container]: container.name,
      [PodLabel.Attempt]: String(req.attempt),
      ...(req.init ? { [PodLabel.Init]: 'true' } : {}),
    },
  };
}

/** Kubernetes' cgroup mapping: shares from the cpu request, quota from the cpu limit. */
function resources(container: Container): Resources {
  const req = Quantity.tryParse(container.resources?.requests?.cpu)?.toNumber();
  const limit = Quantity.tryParse(container.resources?.limits?.cpu)?.toNumber();
  const mem = Quantity.tryParse(container.resources?.limits?.memory)?.toNumber();
  return {
    ...(req !== undefined ? { cpuShares: Math.max(2, Math.round(req * 1024)) } : {}),
    ...(limit !== undefined
      ? { cpuQuotaUs: Math.max(1000, Math.round(limit * 100_000)), cpuPeriodUs: 100_000 }
      : {}),
    ...(mem !== undefined ? { memoryLimitBytes: Math.round(mem) } : {}),
  };
}
