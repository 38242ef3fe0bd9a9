import { freemem, totalmem } from 'node:os';
import type { Logger } from '@bosun/common';
import { realClock, type Clock, type TimerHandle } from '@bosun/controller-kit';
import type { ImageStore } from '@bosun/image';
import type { ContainerRuntime } from '@bosun/runtime';
import type { ClusterPort, NodeEvent, NodeTaint } from '../ports/cluster-port';
import type { PodEviction } from '../pods/pod-evictor';
import type { Pod } from '../pods/pod-types';
import { fsStats, pathUsageBytes, type FsStats } from './disk-stats';
import {
  rankForDiskEviction,
  ephemeralStorageRequest,
  type PodDiskUsage,
} from './eviction-ranking';
import { EvictionSignal, thresholdAmount, type EvictionThreshold } from './eviction-thresholds';

export const DISK_PRESSURE_TAINT: NodeTaint = {
  key: 'node.kubernetes.io/disk-pressure',
  effect: 'NoSchedule',
};

export interface EvictionManagerOptions {
  readonly nodeName: string;
  readonly thresholds: readonly EvictionThreshold[];
  /** The node file system: the agent's root (pod volumes, logs, runtime state). */
  readonly nodeFsPath: string;
  /** Where images live (the same file system unless the store is elsewhere). */
  readonly imageFsPath: string;
  readonly podsDir: string;
  readonly runtime: ContainerRuntime;
  readonly cluster: ClusterPort;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly images?: ImageStore;
  /** The node's live pods (the informer's cache). */
  readonly pods: () => readonly Pod[];
  /** Evicts one pod through its worker; resolves when it is stopped and its status written. */
  readonly evict: (pod: Pod, eviction: PodEviction) => Promise<void>;
  /** Called when a pressure condition flips, so the Node status goes out at once. */
  readonly onPressureChange?: () => void;
  /** How often the file system is measured (kubelet housekeeping: 10 s). */
  readonly monitorMs?: number;
  /** How long DiskPressure stays True after the thresholds stop being met (kubelet: 5 min). */
  readonly pressureTransitionMs?: number;
  /** How long to wait for an evicted pod to be cleaned up before measuring again (kubelet: 30 s). */
  readonly podCleanupTimeoutMs?: number;
}

type Observations = Partial<Record<EvictionSignal, { available: number; capacity: number }>>;

const DISK_SIGNALS = new Set<EvictionSignal>([
  EvictionSignal.NodeFsAvailable,
  EvictionSignal.NodeFsInodesFree,
  EvictionSignal.ImageFsAvailable,
  EvictionSignal.ImageFsInodesFree,
]);

const fmtKi = (bytes: number) => `${Math.max(0, Math.round(bytes / 1024))}Ki`;

/**
 * The kubelet's eviction manager for the node file system: measures it every `monitorMs`, sets
 * DiskPressure (and the disk-pressure NoSchedule taint) while a hard threshold is met and for
 * the transition period after, first reclaims unused images, then evicts one pod at a time by
 * the kubelet's ranking until the threshold is no longer met.
 */
export class EvictionManager {
  private readonly clock: Clock;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private lastMetAt: number | undefined;
  private diskPressure = false;
  private memoryPressure = false;
  private thresholdsMet = false;

  constructor(private readonly opts: EvictionManagerOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** What the Node's conditions report. */
  pressure(): { disk: boolean; memory?: boolean } {
    const memoryWatched = this.opts.thresholds.some(
      (t) => t.signal === EvictionSignal.MemoryAvailable,
    );
    return memoryWatched
      ? { disk: this.diskPressure, memory: this.memoryPressure }
      : { disk: this.diskPressure };
  }

  start(): void {
    if (this.opts.thresholds.length === 0) return; // hard eviction off
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.running = this.synchronize()
        .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'eviction check failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.opts.monitorMs ?? 10_000);
        });
    }, ms);
  }

  /** One pass: observe, update pressure, reclaim or evict at most one pod. */
  async synchronize(): Promise<void> {
    let observed = await this.observe();
    let met = this.met(observed);
    const now = this.clock.now();
    if (met.length > 0) this.lastMetAt = now;
    const memoryMet = met.some((t) => t.signal === EvictionSignal.MemoryAvailable);
    const diskMet = met.filter((t) => DISK_SIGNALS.has(t.signal));
    const transition = this.opts.pressureTransitionMs ?? 300_000;
    const diskPressure =
      diskMet.length > 0 ||
      (this.diskPressure && this.lastMetAt !== undefined && now - this.lastMetAt < transition);
    await this.setPressure(diskPressure, memoryMet);
    const wasMet = this.thresholdsMet;
    this.thresholdsMet = diskMet.length > 0;
    if (diskMet.length === 0) return;
    if (!wasMet) {
      this.nodeEvent('Warning', 'EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage');
    }
    // Node-level reclaim first: images no record uses (the kubelet's image garbage collection).
    if (this.opts.images) {
      const removed = await this.opts.images.garbageCollect().catch(() => 0);
      if (removed > 0) {
        observed = await this.observe();
        met = this.met(observed).filter((t) => DISK_SIGNALS.has(t.signal));
        if (met.length === 0) return;
      }
    }
    await this.evictOne(diskMet[0]!, observed);
  }

  private async observe(): Promise<Observations> {
    const node: FsStats = await fsStats(this.opts.nodeFsPath);
    const image: FsStats =
      this.opts.imageFsPath === this.opts.nodeFsPath
        ? node
        : await fsStats(this.opts.imageFsPath).catch(() => node);
    return {
      [EvictionSignal.MemoryAvailable]: { available: freemem(), capacity: totalmem() },
      [EvictionSignal.NodeFsAvailable]: {
        available: node.availableBytes,
        capacity: node.capacityBytes,
      },
      [EvictionSignal.NodeFsInodesFree]: { available: node.inodesFree, capacity: node.inodes },
      [EvictionSignal.ImageFsAvailable]: {
        available: image.availableBytes,
        capacity: image.capacityBytes,
      },
      [EvictionSignal.ImageFsInodesFree]: { available: image.inodesFree, capacity: image.inodes },
    };
  }

  private met(observed: Observations): EvictionThreshold[] {
    return this.opts.thresholds.filter((t) => {
      const o = observed[t.signal];
      return o !== undefined && o.available < thresholdAmount(t, o.capacity);
    });
  }

  private async setPressure(disk: boolean, memory: boolean): Promise<void> {
    const diskChanged = disk !== this.diskPressure;
    const changed = diskChanged || memory !== this.memoryPressure;
    this.diskPressure = disk;
    this.memoryPressure = memory;
    if (!changed) return;
    this.opts.onPressureChange?.();
    if (!diskChanged) return;
    this.opts.logger.warn(
      { diskPressure: disk },
      disk ? 'node has disk pressure' : 'disk pressure is over',
    );
    this.nodeEvent(
      'Normal',
      disk ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure',
      `Node ${this.opts.nodeName} status is now: ${disk ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure'}`,
    );
    await this.opts.cluster
      .setNodeTaint(this.opts.nodeName, DISK_PRESSURE_TAINT, disk)
      .catch((e: unknown) => this.opts.logger.warn({ err: e }, 'disk-pressure taint not updated'));
  }

  private async evictOne(threshold: EvictionThreshold, observed: Observations): Promise<void> {
    const live = this.opts
      .pods()
      .filter(
        (p) =>
          !p.metadata.deletionTimestamp &&
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed',
      );
    const usages: PodDiskUsage[] = [];
    for (const pod of live) usages.push({ pod, usageBytes: await this.podUsage(pod) });
    const [victim] = rankForDiskEviction(usages);
    if (!victim) {
      this.opts.logger.warn('disk pressure, but no pod can be evicted');
      return;
    }
    const o = observed[threshold.signal]!;
    const request = ephemeralStorageRequest(victim.pod);
    const inodes = threshold.signal.endsWith('inodesFree');
    const amount = thresholdAmount(threshold, o.capacity);
    const message =
      `The node was low on resource: ${inodes ? 'inodes' : 'ephemeral-storage'}. ` +
      `Threshold quantity: ${inodes ? Math.round(amount) : fmtKi(amount)}, available: ${inodes ? o.available : fmtKi(o.available)}. ` +
      `Pod ${victim.pod.metadata.name} was using ${fmtKi(victim.usageBytes)}, request is ${fmtKi(request)}, has larger consumption of ephemeral-storage. `;
    this.opts.logger.warn(
      {
        pod: `${victim.pod.metadata.namespace}/${victim.pod.metadata.name}`,
        usage: victim.usageBytes,
      },
      'evicting a pod to reclaim ephemeral-storage',
    );
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, this.opts.podCleanupTimeoutMs ?? 30_000);
    });
    try {
      await Promise.race([this.opts.evict(victim.pod, { message }), timeout]);
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
  }

  /** What the pod holds on the node file system: its volumes directory and container logs. */
  private async podUsage(pod: Pod): Promise<number> {
    const uid = pod.metadata.uid ?? '';
    let bytes = await pathUsageBytes(`${this.opts.podsDir}/${uid}`);
    const sandboxes = (await this.opts.runtime.listPodSandboxes()).filter(
      (s) => s.config.uid === uid,
    );
    for (const s of sandboxes) {
      for (const c of await this.opts.runtime.listContainers({ sandboxId: s.id })) {
        bytes += (await pathUsageBytes(c.logPath)) + (await pathUsageBytes(`${c.logPath}.1`));
      }
    }
    return bytes;
  }

  private nodeEvent(type: NodeEvent['type'], reason: string, message: string): void {
    const name = this.opts.nodeName;
    this.opts.cluster
      .recordEvent({ target: { kind: 'Node', name, uid: name }, type, reason, message })
      .catch((e: unknown) => this.opts.logger.debug({ err: e, reason }, 'event not recorded'));
  }
}
