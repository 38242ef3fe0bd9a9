import {
  formatMicroTime,
  realClock,
  type Clock,
  type Lease,
  type TimerHandle,
} from '@bosun/controller-kit';
import type { Logger } from '@bosun/common';
import type { ClusterPort } from '../ports/cluster-port';
import {
  nodeConditions,
  nodeObject,
  nodeStatus,
  type NodeFacts,
  type NodePressure,
} from './node-object';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeHeartbeatOptions {
  readonly cluster: ClusterPort;
  readonly facts: NodeFacts;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Lease renewal (kubelet: 10 s) and its duration (kubelet: 40 s). */
  readonly leaseRenewMs?: number;
  readonly leaseDurationSeconds?: number;
  /** Node status updates (kubelet's nodeStatusUpdateFrequency: 10 s). */
  readonly statusUpdateMs?: number;
  /** The pressure the eviction manager observes, reported in the conditions. */
  readonly pressure?: () => NodePressure;
}

/**
 * Registers the Node, then keeps it alive: a Lease renewal in kube-node-lease every 10 s (the
 * cheap heartbeat the node lifecycle controller reads) and a status update with fresh conditions.
 */
export class NodeHeartbeat {
  private readonly clock: Clock;
  private readonly transitions = new Map<string, string>();
  private leaseTimer: TimerHandle | undefined;
  private statusTimer: TimerHandle | undefined;
  private lease: Lease | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeHeartbeatOptions) {
    this.clock = opts.clock ?? realClock;
  }

  async start(): Promise<void> {
    await this.register();
    await this.renewLease();
    this.scheduleLease();
    this.scheduleStatus();
  }

  stop(): void {
    this.stopped = true;
    if (this.leaseTimer !== undefined) this.clock.clearTimeout(this.leaseTimer);
    if (this.statusTimer !== undefined) this.clock.clearTimeout(this.statusTimer);
  }

  /** Creates the Node, or (it exists from an earlier run) refreshes its status. */
  async register(): Promise<void> {
    const { cluster, facts } = this.opts;
    const conditions = this.conditions();
    if (await cluster.getNode(facts.name)) {
      // A restarted agent may serve with a new certificate: its annotation must follow.
      if (facts.annotations) {
        await cluster.patchNode(facts.name, { metadata: { annotations: facts.annotations } });
      }
      await cluster.patchNodeStatus(facts.name, nodeStatus(facts, conditions));
      this.opts.logger.info({ node: facts.name }, 'node already registered; status refreshed');
      return;
    }
    await cluster.createNode(nodeObject(facts, conditions));
    this.opts.logger.info({ node: facts.name }, 'node registered');
  }

  async updateStatus(): Promise<void> {
    const { cluster, facts } = this.opts;
    await cluster.patchNodeStatus(facts.name, nodeStatus(facts, this.conditions()));
  }

  async renewLease(): Promise<void> {
    const { cluster, facts } = this.opts;
    const now = formatMicroTime(this.clock.now());
    const spec = {
      holderIdentity: facts.name,
      leaseDurationSeconds: this.opts.leaseDurationSeconds ?? 40,
      renewTime: now,
    };
    const current = this.lease ?? (await cluster.getLease(NODE_LEASE_NAMESPACE, facts.name));
    if (!current) {
      this.lease = await cluster.createLease({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: facts.name, namespace: NODE_LEASE_NAMESPACE },
        spec: { ...spec, acquireTime: now },
      });
      return;
    }
    try {
      this.lease = await cluster.updateLease({ ...current, spec: { ...current.spec, ...spec } });
    } catch (e) {
      this.lease = undefined; // stale resourceVersion: re-read next time
      throw e;
    }
  }

  private scheduleLease(): void {
    if (this.stopped) return;
    this.leaseTimer = this.clock.setTimeout(() => {
      this.renewLease()
        .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'lease renewal failed'))
        .finally(() => this.scheduleLease());
    }, this.opts.leaseRenewMs ?? 10_000);
  }

  private scheduleStatus(): void {
    if (this.stopped) return;
    this.statusTimer = this.clock.setTimeout(() => {
      this.updateStatus()
        .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'node status update failed'))
        .finally(() => this.scheduleStatus());
    }, this.opts.statusUpdateMs ?? 10_000);
  }

  private conditions() {
    return nodeConditions(this.nowIso(), this.transitions, this.opts.pressure?.() ?? {});
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
