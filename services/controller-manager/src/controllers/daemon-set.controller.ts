import { createHash } from 'node:crypto';
import {
  defineController,
  IndexName,
  objectKey,
  realClock,
  type Clock,
  type Controller,
  type Informer,
  type KubeObject,
  type Result,
  controllerOwnerKey,
  newControllerRef,
} from '@bosun/controller-kit';
import type { Node, PodSpec, PodTemplateSpec } from '@bosun/api-types';
import { daemonPodNode, daemonTolerations, pinToNode, placementOn } from './daemon-set-eligibility';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { InFlightWrites } from './in-flight-writes';
import { byAge, isPodActive, isPodReady } from '../workloads/pod-state';
import { sameJson } from '../workloads/canonical-json';
import type { Pod } from '../workloads/types';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';

export const TemplateHashLabel = 'controller-revision-hash';
export const TemplateGenerationLabel = 'pod-template-generation';

export interface DaemonSet extends KubeObject {
  spec: {
    selector?: unknown;
    template: Omit<PodTemplateSpec, 'spec'> & { spec: PodSpec };
    updateStrategy?: {
      type?: 'RollingUpdate' | 'OnDelete';
      rollingUpdate?: { maxUnavailable?: number | string };
    };
  };
  status?: Record<string, unknown>;
}

export interface DaemonSetControllerDeps {
  readonly daemonSets: Informer<DaemonSet>;
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly writer: WritePort;
  readonly clock?: Clock;
}

/** One pod per eligible node, following nodes as they come and go (kube's DaemonSet controller). */
export function daemonSetController(ctx: ControllerContext): Controller {
  const deps: DaemonSetControllerDeps = {
    daemonSets: ctx.informers.for<DaemonSet>(Resources.daemonSets),
    pods: ctx.informers.for<Pod>(Resources.pods),
    nodes: ctx.informers.for<Node>(Resources.nodes),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const reconciler = new DaemonSetReconciler(deps);
  const placementChanged = nodePlacementWatch(deps.nodes);
  return defineController({
    ...kitOptions(ctx, 'daemonset'),
    informers: [deps.daemonSets, deps.nodes],
    owns: [{ informer: deps.pods, ownerKind: 'DaemonSet' }],
    keyOf: (obj, informer) => {
      if (informer === (deps.nodes as Informer<KubeObject>)) {
        return placementChanged(obj) ? deps.daemonSets.keys() : undefined;
      }
      return objectKey(obj);
    },
    reconcile: (key) => reconciler.reconcile(key),
  });
}

/**
 * Node heartbeats update every node every few seconds; only a node that appears, disappears or
 * changes what placement reads (labels, taints) concerns the DaemonSets, so only that enqueues
 * them all. Returns whether this node event is such a change.
 */
export function nodePlacementWatch(nodes: Informer<Node>): (obj: KubeObject) => boolean {
  const seen = new Map<string, string>();
  return (obj) => {
    const name = obj.metadata.name ?? '';
    if (!nodes.get(name)) return seen.delete(name) || true;
    const node = obj as Node;
    const print = JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? []]);
    if (seen.get(name) === print) return false;
    seen.set(name, print);
    return true;
  };
}

/** A stable hash of the pod template: pods carrying another one are from an older revision. */
export function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

interface NodePlan {
  readonly node: Node;
  readonly shouldRun: boolean;
  readonly shouldContinueRunning: boolean;
  readonly pods: Pod[];
  /** Its old pod was just deleted: the new one comes on the next pass, not in the same breath. */
  replaced?: boolean;
}

export class DaemonSetReconciler {
  private readonly creations: InFlightWrites;
  private readonly deletions: InFlightWrites;

  constructor(private readonly deps: DaemonSetControllerDeps) {
    const clock = deps.clock ?? realClock;
    this.creations = new InFlightWrites(clock);
    this.deletions = new InFlightWrites(clock);
  }

  async reconcile(key: string): Promise<Result | void> {
    const ds = this.deps.daemonSets.get(key);
    if (!ds) {
      this.creations.forget(key);
      this.deletions.forget(key);
      return;
    }
    if (typeof ds.metadata['deletionTimestamp'] === 'string') return;
    const hash = templateHash(ds.spec.template);
    const plans = this.plan(key, ds);
    await this.deleteStrays(key, ds, plans);
    await this.rollOut(key, ds, plans, hash);
    await this.createMissing(key, ds, plans, hash);
    await this.writeStatus(ds, this.plan(key, ds), hash);
  }

  /** Every node with the DaemonSet's live pods on it; pods being deleted by us are left out. */
  private plan(key: string, ds: DaemonSet): NodePlan[] {
    const owned = this.deps.pods
      .byIndex(IndexName.Owner, ds.metadata.uid ?? '')
      .filter((p) => controllerOwnerKey(p, 'DaemonSet') === key);
    const live = new Set(owned.map((p) => p.metadata.uid ?? ''));
    const deleting = this.deletions.pending(key, (uid) => !live.has(uid));
    const seenOn = new Set(owned.map((p) => daemonPodNode(p)));
    this.creations.pending(key, (node) => seenOn.has(node));
    const byNode = new Map<string, Pod[]>();
    for (const pod of owned) {
      if (!isPodActive(pod) && pod.status?.phase !== 'Failed') continue;
      if (deleting.has(pod.metadata.uid ?? '')) continue;
      const node = daemonPodNode(pod) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const plans = this.deps.nodes.list().map((node) => {
      const placement = placementOn(node, ds.spec.template.spec);
      const pods = (byNode.get(node.metadata.name ?? '') ?? []).sort(byAge);
      byNode.delete(node.metadata.name ?? '');
      return { node, ...placement, pods };
    });
    // Pods pinned to nodes that no longer exist: nothing should run there.
    for (const [name, pods] of byNode) {
      const node = { metadata: { name } } as Node;
      plans.push({ node, shouldRun: false, shouldContinueRunning: false, pods });
    }
    return plans;
  }

  /** Failed pods, duplicates, and pods on nodes they may no longer run on. */
  private async deleteStrays(key: string, ds: DaemonSet, plans: NodePlan[]): Promise<void> {
    for (const plan of plans) {
      const failed = plan.pods.filter((p) => p.status?.phase === 'Failed');
      const running = plan.pods.filter((p) => p.status?.phase !== 'Failed');
      const doomed = plan.shouldContinueRunning ? [...failed, ...running.slice(1)] : plan.pods;
      for (const pod of doomed) await this.deletePod(key, ds, pod);
      plan.pods.splice(
        0,
        plan.pods.length,
        ...(plan.shouldContinueRunning ? running.slice(0, 1) : []),
      );
    }
  }

  /** RollingUpdate: replace old-template pods, at most maxUnavailable nodes without a ready pod. */
  private async rollOut(key: string, ds: DaemonSet, plans: NodePlan[], hash: string) {
    const strategy = ds.spec.updateStrategy;
    if (strategy?.type === 'OnDelete') return;
    const desired = plans.filter((p) => p.shouldRun).length;
    const maxUnavailable = scaledValue(strategy?.rollingUpdate?.maxUnavailable ?? 1, desired);
    const wanted = plans.filter((p) => p.shouldContinueRunning);
    let unavailable = wanted.filter((p) => !p.pods.some(isPodReady)).length;
    const old = wanted.filter((p) => p.pods.length > 0 && !isCurrent(p.pods[0], hash));
    // Old pods that are not ready cost no availability: replace them first.
    old.sort((a, b) => Number(isPodReady(a.pods[0])) - Number(isPodReady(b.pods[0])));
    for (const plan of old) {
      const ready = isPodReady(plan.pods[0]);
      if (ready && unavailable >= Math.max(1, maxUnavailable)) break;
      if (ready) unavailable++;
      await this.deletePod(key, ds, plan.pods[0]);
      plan.pods.length = 0;
      plan.replaced = true;
    }
  }

  private async createMissing(key: string, ds: DaemonSet, plans: NodePlan[], hash: string) {
    const creating = this.creations.pending(key, () => false);
    for (const plan of plans) {
      const node = plan.node.metadata.name ?? '';
      if (!plan.shouldRun || plan.pods.length > 0 || plan.replaced || creating.has(node)) continue;
      this.creations.add(key, node);
      try {
        await this.deps.writer.create(Resources.pods, daemonPod(ds, node, hash));
      } catch (error) {
        this.creations.remove(key, node);
        throw error;
      }
    }
  }

  private async deletePod(key: string, ds: DaemonSet, pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    this.deletions.add(key, uid);
    try {
      await this.deps.writer.delete(
        Resources.pods,
        ds.metadata.namespace ?? '',
        pod.metadata.name ?? '',
      );
    } catch (error) {
      this.deletions.remove(key, uid);
      if ((error as { code?: string }).code !== 'NotFound') throw error;
    }
  }

  private async writeStatus(ds: DaemonSet, plans: NodePlan[], hash: string): Promise<void> {
    const scheduled = plans.filter((p) => p.shouldRun && p.pods.length > 0);
    const ready = scheduled.filter((p) => p.pods.some(isPodReady)).length;
    const desired = plans.filter((p) => p.shouldRun).length;
    const status = {
      ...ds.status,
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: plans.filter((p) => !p.shouldRun && p.pods.length > 0).length,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata['generation'] ?? 1,
      updatedNumberScheduled: scheduled.filter((p) => p.pods.some((x) => isCurrent(x, hash)))
        .length,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, desired - ready),
    };
    if (sameJson(status, ds.status)) return;
    await this.deps.writer.updateStatus(Resources.daemonSets, { ...ds, status });
  }
}

function isCurrent(pod: Pod, hash: string): boolean {
  return pod.metadata.labels?.[TemplateHashLabel] === hash;
}

/** An int, or a percentage of `total` rounded up (Kubernetes' maxUnavailable for DaemonSets). */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number.parseInt(value, 10) || 0;
  return Math.ceil((Number(m[1]) * total) / 100);
}

function daemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const template = ds.spec.template;
  const meta = template.metadata ?? {};
  const spec = template.spec;
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec.hostNetwork === true)) {
    if (!tolerations.some((x) => sameJson(x, t))) tolerations.push(t);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: {
        ...meta.labels,
        [TemplateHashLabel]: hash,
        [TemplateGenerationLabel]: String(ds.metadata['generation'] ?? 1),
      },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
    },
    spec: { ...template.spec, tolerations, affinity: pinToNode(spec.affinity, nodeName) },
  };
}
