import { isBosunError, ErrorCode } from '@bosun/common';
import {
  defineController,
  realClock,
  type Clock,
  type Controller,
  type Informer,
  type Result,
} from '@bosun/controller-kit';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import type { Node } from '@bosun/api-types';
import { byAge, isTerminal, isTerminating } from '../workloads/pod-state';
import type { Pod } from '../workloads/types';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';

/** The single key of the collector: it always looks at the whole cluster. */
export const PodGcKey = 'podgc';

export interface PodGcOptions {
  /** Terminated pods kept before the oldest go (Kubernetes' terminated-pod-gc-threshold); <= 0 keeps all. */
  readonly terminatedPodThreshold?: number;
  /** At most one sweep per period, however many pod events arrive (Kubernetes: 20 s). */
  readonly periodMs?: number;
  /** How long a node must stay gone before its pods are collected (Kubernetes: 40 s). */
  readonly nodeQuarantineMs?: number;
}

export interface PodGcDeps extends PodGcOptions {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly writer: WritePort;
  readonly clock?: Clock;
}

/** Pod garbage collection: old terminated pods, pods of vanished nodes, stuck terminating pods. */
export function podGcController(ctx: ControllerContext, opts: PodGcOptions = {}): Controller {
  const deps: PodGcDeps = {
    ...opts,
    pods: ctx.informers.for<Pod>(Resources.pods),
    nodes: ctx.informers.for<Node>(Resources.nodes),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const collector = new PodGarbageCollector(deps);
  return defineController({
    ...kitOptions(ctx, 'podgc'),
    workers: 1,
    informers: [deps.pods, deps.nodes],
    keyOf: () => PodGcKey,
    reconcile: () => collector.reconcile(),
  });
}

export class PodGarbageCollector {
  private readonly clock: Clock;
  private lastSweep = Number.NEGATIVE_INFINITY;
  /** When each missing node was first noticed missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly deps: PodGcDeps) {
    this.clock = deps.clock ?? realClock;
  }

  async reconcile(): Promise<Result> {
    const now = this.clock.now();
    const period = this.deps.periodMs ?? 20_000;
    if (now - this.lastSweep < period) return { requeueAfter: this.lastSweep + period - now };
    this.lastSweep = now;
    const pods = this.deps.pods.list();
    await this.collectTerminated(pods);
    await this.collectOrphans(pods, now);
    await this.collectStuckTerminating(pods);
    // Level-triggered on a timer too: quarantines end and thresholds are crossed without events.
    return { requeueAfter: period };
  }

  /** Beyond the threshold, terminated pods go oldest first. */
  private async collectTerminated(pods: Pod[]): Promise<void> {
    const threshold = this.deps.terminatedPodThreshold ?? 12_500;
    if (threshold <= 0) return;
    const terminated = pods.filter((p) => isTerminal(p) && !isTerminating(p));
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    for (const pod of terminated.sort(byAge).slice(0, excess)) await this.remove(pod);
  }

  /** Pods bound to a node that has been gone for the quarantine: force-deleted. */
  private async collectOrphans(pods: Pod[], now: number): Promise<void> {
    const quarantine = this.deps.nodeQuarantineMs ?? 40_000;
    const missing = new Set<string>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (!node || this.deps.nodes.get(node)) continue;
      missing.add(node);
      const since = this.missingSince.get(node) ?? now;
      this.missingSince.set(node, since);
      if (now - since >= quarantine) await this.remove(pod);
    }
    for (const node of this.missingSince.keys()) {
      if (!missing.has(node)) this.missingSince.delete(node);
    }
  }

  /**
   * Terminating pods nobody will finish: unscheduled ones, and those on a node whose agent is
   * unreachable (Ready=Unknown) or taken out of service.
   */
  private async collectStuckTerminating(pods: Pod[]): Promise<void> {
    for (const pod of pods) {
      if (!isTerminating(pod) || isTerminal(pod)) continue;
      const nodeName = pod.spec?.nodeName;
      const node = nodeName ? this.deps.nodes.get(nodeName) : undefined;
      if (nodeName && (!node || !unreachable(node))) continue;
      await this.remove(pod);
    }
  }

  /** Always a force delete (grace 0), as Kubernetes' pod GC: no node agent will finish these. */
  private async remove(pod: Pod): Promise<void> {
    try {
      await this.deps.writer.delete(
        Resources.pods,
        pod.metadata.namespace ?? '',
        pod.metadata.name ?? '',
        {
          gracePeriodSeconds: 0,
        },
      );
    } catch (error) {
      if (!isBosunError(error, ErrorCode.NotFound)) throw error;
    }
  }
}

function unreachable(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const outOfService = node.spec?.taints?.some(
    (t) => t.key === 'node.kubernetes.io/out-of-service',
  );
  return ready?.status === 'Unknown' || outOfService === true;
}
