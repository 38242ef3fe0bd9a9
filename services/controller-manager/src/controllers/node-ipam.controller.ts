import type { Node } from '@bosun/api-types';
import {
  defineController,
  EventType,
  referenceTo,
  type Controller,
  type EventRecorder,
  type Informer,
} from '@bosun/controller-kit';
import { CidrSet } from '../ipam/cidr-set';
import { DefaultNodeIpam } from '../ipam/node-ipam-options';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';

/** The single key of the allocator: ranges are a cluster-wide resource. */
export const NodeIpamKey = 'node-ipam';

export interface NodeIpamDeps {
  readonly nodes: Informer<Node>;
  readonly writer: WritePort;
  readonly cidrs: CidrSet;
  readonly recorder?: EventRecorder;
}

const podCidrsOf = (node: Node): string[] =>
  node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];

/**
 * Node IPAM (Kubernetes' range allocator): every Node without a pod CIDR gets the next free range
 * of the cluster CIDR in `spec.podCIDR` and `spec.podCIDRs`. A node that brings its own keeps it
 * (and its range counts as used); a deleted node's range is free again once the cache no longer
 * holds it.
 */
export function nodeIpamController(ctx: ControllerContext): Controller {
  const { clusterCidr, nodeMaskSize } = ctx.nodeIpam ?? DefaultNodeIpam;
  const nodes = ctx.informers.for<Node>(Resources.nodes);
  const allocator = new NodeIpamAllocator({
    nodes,
    writer: ctx.writer,
    cidrs: new CidrSet(clusterCidr, nodeMaskSize),
    recorder: ctx.recorder?.('node-ipam-controller'),
  });
  return defineController({
    ...kitOptions(ctx, 'node-ipam'),
    workers: 1,
    informers: [nodes],
    // Heartbeats of nodes that have a range change nothing here; a node that goes frees one.
    keyOf: (obj) => {
      const node = nodes.get(obj.metadata.name ?? '');
      return !node || podCidrsOf(node).length === 0 ? NodeIpamKey : undefined;
    },
    reconcile: () => allocator.reconcile(),
  });
}

export class NodeIpamAllocator {
  /** Ranges written to nodes whose update the cache has not shown yet. */
  private readonly pending = new Map<string, number>();
  /** Where the next search starts, so a just-released range is not handed out again at once. */
  private next = 0;

  constructor(private readonly deps: NodeIpamDeps) {}

  async reconcile(): Promise<void> {
    const nodes = this.deps.nodes.list().sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    const used = this.usedRanges(nodes);
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      if (podCidrsOf(node).length > 0 || this.pending.has(name)) continue;
      const index = this.deps.cidrs.nextFree(used, this.next);
      if (index === undefined) {
        this.deps.recorder?.event(
          referenceTo(node, { apiVersion: 'v1', kind: 'Node' }),
          EventType.Warning,
          'CIDRNotAvailable',
          `Node ${name} status is now: CIDRNotAvailable (${this.deps.cidrs.cidr} has no free /${this.deps.cidrs.maskSize})`,
        );
        continue;
      }
      const cidr = this.deps.cidrs.cidrAt(index);
      await this.deps.writer.patch(Resources.nodes, '', name, {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { podCIDR: cidr, podCIDRs: [cidr] },
      });
      used.add(index);
      this.pending.set(name, index);
      this.next = (index + 1) % this.deps.cidrs.size;
    }
  }

  /** Ranges held by nodes in the cache, and by our own writes the cache has yet to show. */
  private usedRanges(nodes: readonly Node[]): Set<number> {
    const used = new Set<number>();
    const byName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
    for (const node of nodes) {
      for (const cidr of podCidrsOf(node)) {
        const index = this.deps.cidrs.indexOf(cidr);
        if (index !== undefined) used.add(index);
      }
    }
    for (const [name, index] of this.pending) {
      const node = byName.get(name);
      if (!node || podCidrsOf(node).length > 0) this.pending.delete(name);
      else used.add(index);
    }
    return used;
  }
}

const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
