import { NodeInfo, podInfoOf, type PodInfo } from './node-info';
import { podKey, type Node, type Pod } from './types';

/**
 * The scheduler's view of the cluster: nodes and the pods bound (or assumed) on them. Kept up to
 * date incrementally by informer events and the assume cache; `schedule()` only reads it.
 */
export class ClusterSnapshot {
  private readonly nodes = new Map<string, NodeInfo>();
  private nodeArray: NodeInfo[] | undefined;
  private readonly podNode = new Map<string, string>();
  /** Pods placed on a node that does not exist (yet): counted once it appears. */
  private readonly orphans = new Map<string, { node: string; info: PodInfo }>();
  /** Pods carrying required anti-affinity: every placement must respect them. */
  readonly podsWithAntiAffinity = new Map<string, PodInfo>();

  static of(nodes: readonly Node[], pods: readonly Pod[] = []): ClusterSnapshot {
    const s = new ClusterSnapshot();
    for (const n of nodes) s.upsertNode(n);
    for (const p of pods) if (p.spec.nodeName) s.addPod(p, p.spec.nodeName);
    return s;
  }

  upsertNode(node: Node): void {
    const existing = this.nodes.get(node.metadata.name ?? '');
    if (existing) {
      existing.setNode(node);
      return;
    }
    const info = new NodeInfo(node);
    this.nodes.set(node.metadata.name ?? '', info);
    this.nodeArray = undefined;
    for (const [key, o] of this.orphans) {
      if (o.node !== node.metadata.name) continue;
      this.orphans.delete(key);
      info.addPod(key, o.info);
    }
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    this.nodeArray = undefined;
    for (const [key, p] of info.pods) this.orphans.set(key, { node: name, info: p });
  }

  /** Adds or moves a pod onto `nodeName` (its spec.nodeName by default). */
  addPod(pod: Pod, nodeName = pod.spec.nodeName ?? ''): void {
    const key = podKey(pod);
    this.removePod(key);
    const info = podInfoOf(pod);
    this.podNode.set(key, nodeName);
    if (
      pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length
    ) {
      this.podsWithAntiAffinity.set(key, info);
    }
    const node = this.nodes.get(nodeName);
    if (node) node.addPod(key, info);
    else this.orphans.set(key, { node: nodeName, info });
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    this.podsWithAntiAffinity.delete(key);
    this.orphans.delete(key);
    this.nodes.get(nodeName)?.removePod(key);
  }

  hasPod(key: string): boolean {
    return this.podNode.has(key);
  }

  nodeOfPod(key: string): string | undefined {
    return this.podNode.get(key);
  }

  get(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Nodes in a stable (insertion) order; shuffling is the scheduler's business. */
  list(): readonly NodeInfo[] {
    this.nodeArray ??= [...this.nodes.values()];
    return this.nodeArray;
  }

  get size(): number {
    return this.nodes.size;
  }
}
