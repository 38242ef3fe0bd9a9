import {
  defineController,
  type Controller,
  type Informer,
  type Result,
} from '@bosun/controller-kit';
import type { InstancesV2 } from '../cloud-provider/cloud-provider';
import type { NodeObject, Taint } from '../cloud-provider/types';
import { Taints } from '../cloud-provider/well-known';
import type { CloudWritePort } from '../ports/cloud-write-port';
import { kitOptions, type CloudControllerContext } from './cloud-controller-context';

export interface NodeLifecycleDeps {
  readonly nodes: Informer<NodeObject>;
  readonly instances: InstancesV2;
  readonly writer: CloudWritePort;
  readonly monitorPeriodMs?: number;
}

/**
 * The cloud node lifecycle controller: while a node is not Ready it asks the cloud about the
 * instance behind it — shut down: taint it `node.cloudprovider.kubernetes.io/shutdown`; gone:
 * delete the Node. A Ready node loses the shutdown taint.
 */
export function nodeLifecycleController(ctx: CloudControllerContext): Controller | undefined {
  const instances = ctx.cloud.instancesV2();
  if (!instances) return undefined;
  const reconciler = new NodeLifecycleReconciler({
    nodes: ctx.nodes,
    instances,
    writer: ctx.writer,
    monitorPeriodMs: ctx.nodeMonitorPeriodMs,
  });
  return defineController({
    ...kitOptions(ctx, 'cloud-node-lifecycle'),
    informers: [ctx.nodes],
    reconcile: (key) => reconciler.reconcile(key),
  });
}

export class NodeLifecycleReconciler {
  private readonly period: number;

  constructor(private readonly deps: NodeLifecycleDeps) {
    this.period = deps.monitorPeriodMs ?? 5000;
  }

  async reconcile(name: string): Promise<Result | void> {
    const node = this.deps.nodes.get(name);
    if (!node) return;
    if (isReady(node)) {
      await this.setShutdownTaint(node, false);
      return;
    }
    const shutdown = await this.deps.instances.instanceShutdown(node);
    await this.setShutdownTaint(node, shutdown);
    if (!shutdown && !(await this.deps.instances.instanceExists(node))) {
      await this.deps.writer.deleteNode(name, node.metadata.uid);
      return;
    }
    // Level-triggered but the cloud sends no events: look again while the node stays NotReady.
    return { requeueAfter: this.period };
  }

  private async setShutdownTaint(node: NodeObject, want: boolean): Promise<void> {
    const taints = node.spec?.taints ?? [];
    const has = taints.some((t) => t.key === Taints.shutdown);
    if (has === want) return;
    const next: Taint[] = want
      ? [...taints, { key: Taints.shutdown, effect: 'NoSchedule' }]
      : taints.filter((t) => t.key !== Taints.shutdown);
    const { taints: _old, ...spec } = node.spec ?? {};
    await this.deps.writer.updateNode({
      ...node,
      spec: next.length > 0 ? { ...spec, taints: next } : spec,
    });
  }
}

const isReady = (node: NodeObject): boolean =>
  node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
