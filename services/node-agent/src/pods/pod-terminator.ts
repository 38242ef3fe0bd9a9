import type { ContainerStatus as RuntimeContainer } from '@bosun/runtime';
import { PodLabel } from './labels';
import { runHandler } from './probe-action';
import type { Container, Pod } from './pod-types';
import { cleanupVolumes } from './pod-volumes';
import { podEvent, type SyncContext } from './sync-context';

/** The grace period the kubelet honours: the deletion's, else the pod spec's, else 30 s. */
export function gracePeriodMs(pod: Pod): number {
  const s = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, s) * 1000;
}

/**
 * Stops one container gracefully: the preStop hook (within the grace period), then SIGTERM and,
 * once the rest of the grace period is over, SIGKILL (the runtime's stopContainer).
 */
export async function killContainer(
  ctx: SyncContext,
  pod: Pod,
  running: RuntimeContainer,
  spec: Container | undefined,
  graceMs: number,
  podIP: string,
  message = `Stopping container ${running.name}`,
): Promise<void> {
  const deadline = ctx.clock.now() + graceMs;
  podEvent(ctx, pod, 'Normal', 'Killing', message, running.name);
  const preStop = spec?.lifecycle?.preStop;
  if (preStop && graceMs > 0) {
    const outcome = await runHandler(
      preStop,
      { runtime: ctx.runtime, containerId: running.id, container: spec, podIP },
      graceMs,
    );
    if (!outcome.ok) {
      podEvent(
        ctx,
        pod,
        'Warning',
        'FailedPreStopHook',
        `PreStopHook failed: ${outcome.message}`,
        running.name,
      );
    }
  }
  // Like the kubelet, leave at least 2 s between SIGTERM and SIGKILL when a hook used the time up.
  const left = Math.max(deadline - ctx.clock.now(), graceMs > 0 ? Math.min(2000, graceMs) : 0);
  await ctx.runtime.stopContainer(running.id, left);
}

/** Stops and removes every sandbox of pod `uid` (and its volumes). */
export async function teardownPod(
  ctx: SyncContext,
  uid: string,
  pod: Pod | undefined,
  graceMs: number,
): Promise<void> {
  const sandboxes = (await ctx.runtime.listPodSandboxes()).filter((s) => s.config.uid === uid);
  for (const sandbox of sandboxes) {
    const containers = await ctx.runtime.listContainers({ sandboxId: sandbox.id });
    const specs = [...(pod?.spec.containers ?? []), ...(pod?.spec.initContainers ?? [])];
    await Promise.all(
      containers
        .filter((c) => c.state === 'running')
        .map((c) =>
          pod
            ? killContainer(
                ctx,
                pod,
                c,
                specs.find((s) => s.name === c.labels[PodLabel.Container]),
                graceMs,
                sandbox.ip ?? ctx.hostIP,
              )
            : ctx.runtime.stopContainer(c.id, graceMs),
        ),
    );
    await ctx.runtime.stopPodSandbox(sandbox.id, 0);
    await ctx.runtime.removePodSandbox(sandbox.id);
  }
  if (ctx.materializeVolumes) await cleanupVolumes(ctx.podsDir, uid, pod);
  ctx.backoff.forgetPrefix(`${uid}/`);
  ctx.probes.forgetPrefix(`${uid}/`);
}
