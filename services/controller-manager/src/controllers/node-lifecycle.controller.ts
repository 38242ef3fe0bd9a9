import { isBosunError, ErrorCode } from '@bosun/common';
import {
  defineController,
  IndexName,
  objectKey,
  realClock,
  type Clock,
  type Controller,
  type Informer,
  type Result,
  formatTime,
} from '@bosun/controller-kit';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { evictionTime, taintsFor, type NodeTaint, type TolerationWithSeconds } from './node-taints';
import { isPodActive } from '../workloads/pod-state';
import { sameJson } from '../workloads/canonical-json';
import type { Pod } from '../workloads/types';
import type { Lease, Node } from '@bosun/api-types';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';

export const NodeLeaseNamespace = 'kube-node-lease';
/** The conditions a silent node's kubelet can no longer vouch for. */
export const NodeConditionTypes = [
  'Ready',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
] as const;

export interface NodeLifecycleOptions {
  /** A node silent for this long goes Ready=Unknown (Kubernetes' node-monitor-grace-period). */
  readonly gracePeriodMs?: number;
  /** The same for a node that never posted a Ready condition (node-startup-grace-period). */
  readonly startupGracePeriodMs?: number;
  /** Delete pods whose tolerations of the NoExecute taints ran out (taint-based eviction). */
  readonly evictPods?: boolean;
}

export interface NodeLifecycleDeps extends NodeLifecycleOptions {
  readonly nodes: Informer<Node>;
  readonly leases: Informer<Lease>;
  readonly pods: Informer<Pod>;
  readonly writer: WritePort;
  readonly clock?: Clock;
}

/** Node lifecycle: notices silent nodes, taints them, evicts their pods when tolerations expire. */
export function nodeLifecycleController(
  ctx: ControllerContext,
  opts: NodeLifecycleOptions = ctx.nodeLifecycle ?? {},
): Controller {
  const deps: NodeLifecycleDeps = {
    ...opts,
    nodes: ctx.informers.for<Node>(Resources.nodes),
    leases: ctx.informers.for<Lease>(Resources.leases),
    pods: ctx.informers.for<Pod>(Resources.pods),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const reconciler = new NodeLifecycleReconciler(deps);
  return defineController({
    ...kitOptions(ctx, 'node-lifecycle'),
    informers: [deps.nodes, deps.leases, deps.pods],
    keyOf: (obj, informer) => {
      if (Object.is(informer, deps.pods)) return (obj as Pod).spec?.nodeName || undefined;
      if (Object.is(informer, deps.leases)) {
        return obj.metadata.namespace === NodeLeaseNamespace ? obj.metadata.name : undefined;
      }
      return objectKey(obj);
    },
    reconcile: (key) => reconciler.reconcile(key),
  });
}

export class NodeLifecycleReconciler {
  private readonly clock: Clock;
  /** The last heartbeat seen per node and when *we* saw it: our clock, immune to node skew. */
  private readonly probes = new Map<string, { heartbeat: string; seenAt: number }>();

  constructor(private readonly deps: NodeLifecycleDeps) {
    this.clock = deps.clock ?? realClock;
  }

  async reconcile(name: string): Promise<Result | void> {
    let node = this.deps.nodes.get(name);
    if (!node) {
      this.probes.delete(name);
      return;
    }
    const now = this.clock.now();
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const grace = ready
      ? (this.deps.gracePeriodMs ?? 40_000)
      : (this.deps.startupGracePeriodMs ?? 60_000);
    const staleAt = this.observe(node) + grace;
    if (staleAt <= now && ready?.status !== 'Unknown') {
      node = await this.deps.writer.updateStatus(Resources.nodes, markUnknown(node, now));
    }
    const readyNow = staleAt <= now ? 'Unknown' : ready?.status;
    const taints = taintsFor(node.spec?.taints ?? [], readyNow, now);
    if (!sameJson(taints, node.spec?.taints ?? [])) {
      const { taints: _old, ...rest } = node.spec ?? {};
      const spec = taints.length === 0 ? rest : { ...rest, taints };
      node = await this.deps.writer.update(Resources.nodes, { ...node, spec });
    }
    const wakes = [staleAt > now ? staleAt : Number.POSITIVE_INFINITY];
    if (this.deps.evictPods !== false) wakes.push(await this.evict(name, taints, now));
    const next = Math.min(...wakes);
    return Number.isFinite(next) ? { requeueAfter: Math.max(0, next - now) } : undefined;
  }

  /** When we last saw the node's heartbeat (its Lease renewTime or Ready lastHeartbeatTime) move. */
  private observe(node: Node): number {
    const name = node.metadata.name ?? '';
    const lease = this.deps.leases.getBy(NodeLeaseNamespace, name);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const heartbeat = `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
    const probe = this.probes.get(name);
    if (probe && probe.heartbeat === heartbeat) return probe.seenAt;
    const seenAt = this.clock.now();
    this.probes.set(name, { heartbeat, seenAt });
    return seenAt;
  }

  /** Deletes the pods whose time is up; returns when the next one is due. */
  private async evict(nodeName: string, taints: NodeTaint[], now: number): Promise<number> {
    let next = Number.POSITIVE_INFINITY;
    if (!taints.some((t) => t.effect === 'NoExecute')) return next;
    for (const pod of this.deps.pods.byIndex(IndexName.NodeName, nodeName)) {
      if (!isPodActive(pod)) continue;
      const tolerations = (pod.spec?.['tolerations'] ?? []) as TolerationWithSeconds[];
      const at = evictionTime(taints, tolerations, now);
      if (at > now) {
        next = Math.min(next, at);
        continue;
      }
      try {
        await this.deps.writer.delete(
          Resources.pods,
          pod.metadata.namespace ?? '',
          pod.metadata.name ?? '',
        );
      } catch (error) {
        if (!isBosunError(error, ErrorCode.NotFound)) throw error;
      }
    }
    return next;
  }
}

/** Every condition the kubelet owns goes Unknown, as Kubernetes' node lifecycle controller does. */
export function markUnknown(node: Node, now: number): Node {
  const at = formatTime(now);
  const conditions = [...(node.status?.conditions ?? [])];
  for (const type of NodeConditionTypes) {
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: String(node.metadata['creationTimestamp'] ?? at),
        lastTransitionTime: at,
      });
    } else if (conditions[i].status !== 'Unknown') {
      conditions[i] = {
        ...conditions[i],
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: at,
      };
    }
  }
  return { ...node, status: { ...node.status, conditions } };
}
