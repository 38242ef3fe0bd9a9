import { BosunError, createLogger, ErrorCode, type Logger } from '@bosun/common';
import { Informer, type KubeObject, type ListWatchPort } from '@bosun/controller-kit';
import {
  AssumeCache,
  ClusterEvent,
  ClusterSnapshot,
  podKey,
  type Binder,
  type Node,
  type Pod,
  type ScheduleOptions,
  type SchedulingQueueOptions,
} from '@bosun/scheduling';
import type { SchedulingReporter } from './pod-writer';
import { isOurs, nodeNameOf, nodeSchedulingChanged, specChanged } from './pod-filters';
import type { SchedulerMetrics } from './scheduler-metrics';
import { SchedulingTerm } from './scheduling-term';

/** A collection to follow: an informer shared with others (a Manager's), or a port of its own. */
export type Source<T extends KubeObject> = Informer<T> | ListWatchPort<T>;

export interface SchedulerDeps {
  /** Pods without a node (fieldSelector spec.nodeName=). */
  readonly pendingPods: Source<Pod>;
  /** Pods with a node (fieldSelector spec.nodeName!=): they take room on it. */
  readonly assignedPods: Source<Pod>;
  readonly nodes: Source<Node>;
  readonly binder: Binder;
  readonly reporter: SchedulingReporter;
  readonly schedulerName?: string;
  readonly options?: ScheduleOptions;
  readonly queueOptions?: SchedulingQueueOptions;
  readonly metrics?: SchedulerMetrics;
  readonly logger?: Logger;
  /** Most binds in flight at once before the loop waits (default 256). */
  readonly maxInflightBinds?: number;
}

/**
 * kube-scheduler: informers keep the cluster snapshot current on every replica (so a new leader
 * starts warm); only while leading does a `SchedulingTerm` pop, place, assume and bind.
 */
export class Scheduler {
  readonly snapshot = new ClusterSnapshot();
  readonly assumeCache = new AssumeCache(this.snapshot);
  readonly pending: Informer<Pod>;
  readonly assigned: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private term: SchedulingTerm | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.logger ?? createLogger('scheduler');
    this.schedulerName = deps.schedulerName ?? 'default-scheduler';
    const informer = <T extends KubeObject>(name: string, source: Source<T>): Informer<T> =>
      source instanceof Informer
        ? source
        : new Informer<T>({ name, port: source, logger: this.log });
    this.nodes = informer('nodes', deps.nodes);
    this.assigned = informer('assigned-pods', deps.assignedPods);
    this.pending = informer('pending-pods', deps.pendingPods);
    this.wireNodes();
    this.wireAssigned();
    this.wirePending();
  }

  /** Lists and starts following nodes and pods; resolves once every cache is filled. */
  async start(): Promise<void> {
    // Nodes and bound pods first: the pending pods are placed against them.
    await Promise.all([this.nodes.start(), this.assigned.start()]);
    await this.pending.start();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced() && this.assigned.hasSynced() && this.pending.hasSynced();
  }

  /** Schedules until `signal` aborts (leadership lost or shutdown); resolves when all binds settled. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.term) throw new BosunError(ErrorCode.Conflict, 'scheduler is already running a term');
    const term = new SchedulingTerm({
      snapshot: this.snapshot,
      assumeCache: this.assumeCache,
      binder: this.deps.binder,
      reporter: this.deps.reporter,
      options: this.deps.options,
      queueOptions: this.deps.queueOptions,
      metrics: this.deps.metrics,
      logger: this.log,
      maxInflightBinds: this.deps.maxInflightBinds ?? 256,
      latest: (pod) => this.pending.getBy(pod.metadata.namespace ?? '', pod.metadata.name ?? ''),
    });
    this.term = term;
    for (const obj of this.pending.list()) this.enqueue(obj);
    this.log.info({ pending: this.pending.list().length }, 'scheduling started');
    try {
      await term.run(signal);
    } finally {
      this.term = undefined;
      this.log.info('scheduling stopped');
    }
  }

  /** Pods in each queue of the current term (all zero while not leading). */
  queueLengths(): { active: number; backoff: number; unschedulable: number } {
    return this.term?.queue.lengths() ?? { active: 0, backoff: 0, unschedulable: 0 };
  }

  stop(): void {
    this.pending.stop();
    this.assigned.stop();
    this.nodes.stop();
  }

  private enqueue(obj: Pod): void {
    if (!this.term || !isOurs(obj, this.schedulerName)) return;
    // A bound pod can linger in the pending cache (a resumed watch does not report it leaving
    // the selection); the assigned informer or the assume cache already knows it.
    if (this.snapshot.hasPod(podKey(obj))) return;
    this.term.queue.add(obj);
  }

  private wireNodes(): void {
    this.nodes.addEventHandler({
      onAdd: (n) => {
        this.snapshot.upsertNode(n);
        this.term?.queue.onClusterEvent(ClusterEvent.NodeAdd);
      },
      onUpdate: (old, n) => {
        this.snapshot.upsertNode(n);
        if (nodeSchedulingChanged(old, n)) this.term?.queue.onClusterEvent(ClusterEvent.NodeUpdate);
      },
      onDelete: (n) => this.snapshot.removeNode(n.metadata.name ?? ''),
    });
  }

  private wireAssigned(): void {
    const bound = (pod: Pod): void => {
      if (this.assumeCache.isAssumed(pod)) this.assumeCache.confirm(pod);
      else this.snapshot.addPod(pod);
      this.term?.forget(pod);
    };
    this.assigned.addEventHandler({
      onAdd: bound,
      onUpdate: (_old, obj) => bound(obj),
      onDelete: (obj) => {
        this.snapshot.removePod(podKey(obj));
        this.term?.queue.onClusterEvent(ClusterEvent.AssignedPodDelete);
      },
    });
  }

  private wirePending(): void {
    this.pending.addEventHandler({
      onAdd: (obj) => this.enqueue(obj),
      onUpdate: (old, obj) => {
        if (!this.term) return;
        if (!isOurs(obj, this.schedulerName)) return this.term.forget(obj);
        if (specChanged(old, obj)) this.term.queue.update(obj);
      },
      onDelete: (pod) => {
        this.term?.forget(pod);
        // Leaving the selection because it was bound is not a deletion: keep what we assumed.
        if (!nodeNameOf(pod) && this.assumeCache.isAssumed(pod)) this.assumeCache.forget(pod);
      },
    });
  }
}
