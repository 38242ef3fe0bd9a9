import type { ContainerStatus as RuntimeContainer } from '@bosun/runtime';
import { killContainer } from './pod-terminator';
import { runHandler } from './probe-action';
import { ProbeKind } from './probe-tracker';
import type { Container, Pod, Probe } from './pod-types';
import { podEvent, type SyncContext } from './sync-context';

export interface ProbeReport {
  readonly ready: boolean;
  readonly started: boolean;
  /** Ms until the next probe of this container is due. */
  readonly nextMs?: number;
  /** A failed liveness or startup probe stopped the container. */
  readonly killed?: boolean;
}

const KIND_NAME = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' } as const;

/**
 * Runs the container's due probes: startup first (liveness and readiness wait for it), then
 * liveness (a failure past the threshold kills the container; the restart policy does the rest)
 * and readiness (drives `ready`).
 */
export async function runContainerProbes(
  ctx: SyncContext,
  pod: Pod,
  c: Container,
  running: RuntimeContainer,
  podIP: string,
): Promise<ProbeReport> {
  const prefix = `${pod.metadata.uid}/${c.name}/`;
  const startedAt = Date.parse(running.startedAt ?? '') || ctx.clock.now();
  const probe = async (kind: ProbeKind, spec: Probe): Promise<boolean | undefined> => {
    const key = prefix + kind;
    const now = ctx.clock.now();
    if (kind === ProbeKind.Startup && ctx.probes.result(key, running.id) === true) return true;
    if (!ctx.probes.due(key, running.id, spec, startedAt, now)) {
      return ctx.probes.result(key, running.id);
    }
    const outcome = await runHandler(
      spec,
      { runtime: ctx.runtime, containerId: running.id, container: c, podIP },
      (spec.timeoutSeconds ?? 1) * 1000,
    );
    if (!outcome.ok) {
      podEvent(
        ctx,
        pod,
        'Warning',
        'Unhealthy',
        `${KIND_NAME[kind]} probe failed: ${outcome.message}`,
        c.name,
      );
    }
    const { result } = ctx.probes.record(key, running.id, spec, outcome.ok, ctx.clock.now());
    if (kind === ProbeKind.Startup && result === true) ctx.probes.park(key);
    return result;
  };
  const kill = async (kind: ProbeKind) => {
    ctx.probes.forgetPrefix(prefix);
    await killContainer(
      ctx,
      pod,
      running,
      c,
      (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000,
      podIP,
      `Container ${c.name} failed ${kind} probe, will be restarted`,
    );
  };
  let started = true;
  if (c.startupProbe) {
    const r = await probe(ProbeKind.Startup, c.startupProbe);
    if (r === false) {
      await kill(ProbeKind.Startup);
      return { ready: false, started: false, killed: true };
    }
    started = r === true;
  }
  let ready = started;
  if (started && c.livenessProbe) {
    if ((await probe(ProbeKind.Liveness, c.livenessProbe)) === false) {
      await kill(ProbeKind.Liveness);
      return { ready: false, started, killed: true };
    }
  }
  if (started && c.readinessProbe)
    ready = (await probe(ProbeKind.Readiness, c.readinessProbe)) === true;
  return { ready, started, nextMs: ctx.probes.nextDue(prefix, ctx.clock.now()) };
}
