import { defineController, type Controller, type Informer } from '@bosun/controller-kit';
import type { InstancesV2 } from '../cloud-provider/cloud-provider';
import type { NodeAddress, NodeObject } from '../cloud-provider/types';
import { Labels, Taints } from '../cloud-provider/well-known';
import type { CloudWritePort } from '../ports/cloud-write-port';
import { kitOptions, type CloudControllerContext } from './cloud-controller-context';

export interface NodeControllerDeps {
  readonly nodes: Informer<NodeObject>;
  readonly instances: InstancesV2;
  readonly writer: CloudWritePort;
}

/**
 * The cloud node controller: a node that registered with the `uninitialized` taint gets what the
 * cloud knows about its instance (providerID, addresses, instance type, zone, region), then loses
 * the taint, so the scheduler starts placing pods on it.
 */
export function nodeController(ctx: CloudControllerContext): Controller | undefined {
  const instances = ctx.cloud.instancesV2();
  if (!instances) return undefined;
  const reconciler = new NodeReconciler({ nodes: ctx.nodes, instances, writer: ctx.writer });
  return defineController({
    ...kitOptions(ctx, 'cloud-node'),
    informers: [ctx.nodes],
    reconcile: (key) => reconciler.reconcile(key),
  });
}

export class NodeReconciler {
  constructor(private readonly deps: NodeControllerDeps) {}

  async reconcile(name: string): Promise<void> {
    let node = this.deps.nodes.get(name);
    if (!node || !isUninitialized(node)) return;
    const meta = await this.deps.instances.instanceMetadata(node);
    // Addresses first: once the taint is gone, the node must already be complete.
    const addresses = [...meta.nodeAddresses];
    if (addresses.length > 0 && !sameAddresses(addresses, node.status?.addresses ?? [])) {
      node = await this.deps.writer.updateNodeStatus({
        ...node,
        status: { ...node.status, addresses },
      });
    }
    const labels: Record<string, string> = { ...(node.metadata.labels ?? {}) };
    if (meta.instanceType) labels[Labels.instanceType] = meta.instanceType;
    if (meta.zone) labels[Labels.zone] = meta.zone;
    if (meta.region) labels[Labels.region] = meta.region;
    Object.assign(labels, meta.additionalLabels ?? {});
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== Taints.uninitialized);
    const { taints: _old, ...spec } = node.spec ?? {};
    await this.deps.writer.updateNode({
      ...node,
      metadata: { ...node.metadata, labels },
      spec: {
        ...spec,
        providerID: node.spec?.providerID || meta.providerID,
        ...(taints.length > 0 ? { taints } : {}),
      },
    });
  }
}

export const isUninitialized = (node: NodeObject): boolean =>
  (node.spec?.taints ?? []).some((t) => t.key === Taints.uninitialized);

const sameAddresses = (a: readonly NodeAddress[], b: readonly NodeAddress[]): boolean =>
  a.length === b.length && a.every((x, i) => x.type === b[i].type && x.address === b[i].address);
