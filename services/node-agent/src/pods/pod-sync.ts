import { isBosunError, ErrorCode } from '@bosun/common';
import type { ContainerStatus as RuntimeContainer, SandboxStatus } from '@bosun/runtime';
import { startContainer } from './container-starter';
import { PodLabel } from './labels';
import { buildPodStatus, type ContainerView } from './pod-status';
import { evictPod, type PodEviction } from './pod-evictor';
import { gracePeriodMs, teardownPod } from './pod-terminator';
import { PodPhase, RestartPolicy, type Container, type Pod } from './pod-types';
import { runContainerProbes } from './pod-probes';
import { stableJson } from './stable-json';
import { newPodMemory, podEvent, type PodMemory, type SyncContext } from './sync-context';

type Runs = Map<string, RuntimeContainer[]>;

/** Runtime containers of a sandbox by container name, oldest run first. */
function groupRuns(list: readonly RuntimeContainer[]): Runs {
  const runs: Runs = new Map();
  for (const c of list) {
    const name = c.labels[PodLabel.Container] ?? c.name;
    runs.set(name, [...(runs.get(name) ?? []), c]);
  }
  const attempt = (c: RuntimeContainer) => Number(c.labels[PodLabel.Attempt] ?? 0);
  for (const l of runs.values()) l.sort((a, b) => attempt(a) - attempt(b));
  return runs;
}

const attemptOf = (c: RuntimeContainer | undefined) =>
  c ? Number(c.labels[PodLabel.Attempt] ?? 0) : 0;

export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number): boolean {
  if (policy === RestartPolicy.Never) return false;
  if (policy === RestartPolicy.OnFailure) return exitCode !== 0;
  return true;
}

/** One pass of a pod's sync: what it wants next, and what it learned for the status. */
interface Pass {
  requeueMs: number | undefined;
  /** Something in the runtime changed during this pass (the shared relist is stale). */
  changed: boolean;
  /** Containers this pass created: their status is read directly, not from a relist. */
  readonly touched: string[];
  /** A change other than creating containers (a kill, starting an adopted one). */
  needsRelist: boolean;
  readonly ready: Map<string, boolean>;
  readonly started: Map<string, boolean>;
}

const soonest = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * Level-triggered pod sync (the kubelet's syncPod): compares the pod spec with what the runtime
 * runs and closes the gap one step — sandbox, init containers in order, containers, restarts with
 * back-off, probes — then writes the status if it changed. Deleting pods are stopped gracefully
 * and finally deleted.
 */
export class PodSyncer {
  private readonly memories = new Map<string, PodMemory>();
  /** Evictions asked for, carried out by the pod's next sync (one sync per pod at a time). */
  private readonly evictions = new Map<
    string,
    { eviction: PodEviction; settle: (e?: unknown) => void }
  >();
  /** Pods this agent evicted: never started again, even from a cache that predates the status. */
  private readonly evicted = new Set<string>();
  private startupSandboxes: Promise<ReadonlySet<string>> | undefined;

  constructor(private readonly ctx: SyncContext) {}

  get trackedPods(): number {
    return this.memories.size;
  }

  /**
   * Asks for `pod` to be evicted by its next sync (the caller enqueues it); resolves once its
   * containers are stopped and its Failed status written, rejects when that failed.
   */
  requestEviction(pod: Pod, eviction: PodEviction): Promise<void> {
    return new Promise((resolve, reject) => {
      this.evictions.set(pod.metadata.uid ?? '', {
        eviction,
        settle: (e) => (e === undefined ? resolve() : reject(e)),
      });
    });
  }

  /** Syncs `pod`; returns ms until it wants another sync (undefined: only on change). */
  async sync(pod: Pod): Promise<number | undefined> {
    const uid = pod.metadata.uid ?? '';
    const request = this.evictions.get(uid);
    if (request && !pod.metadata.deletionTimestamp) {
      this.evictions.delete(uid);
      try {
        await evictPod(this.ctx, pod, request.eviction);
      } catch (e) {
        request.settle(e);
        throw e;
      }
      this.evicted.add(uid);
      this.memories.delete(uid);
      request.settle();
      return undefined;
    }
    if (pod.metadata.deletionTimestamp) {
      if (request) {
        this.evictions.delete(uid);
        request.settle(); // deleted meanwhile: the deletion stops it anyway
      }
      await teardownPod(this.ctx, uid, pod, gracePeriodMs(pod));
      this.memories.delete(uid);
      await this.ctx.cluster.deletePodNow(
        pod.metadata.namespace ?? 'default',
        pod.metadata.name ?? '',
        uid,
      );
      return undefined;
    }
    const phase = pod.status?.phase;
    if (phase === PodPhase.Succeeded || phase === PodPhase.Failed) return undefined;
    if (this.evicted.has(uid)) return undefined;
    let memory = this.memories.get(uid);
    if (!memory) this.memories.set(uid, (memory = newPodMemory()));
    let sandbox: SandboxStatus;
    try {
      sandbox = await this.ensureSandbox(pod, memory);
    } catch (e) {
      // e.g. the disk is full: say so on the pod; the worker retries with back-off.
      const message = e instanceof Error ? e.message : String(e);
      podEvent(
        this.ctx,
        pod,
        'Warning',
        'FailedCreatePodSandBox',
        `Failed to create pod sandbox: ${message}`,
      );
      throw e;
    }
    const pass: Pass = {
      requeueMs: undefined,
      changed: false,
      touched: [],
      needsRelist: false,
      ready: new Map(),
      started: new Map(),
    };
    const runs = groupRuns(await this.current(memory, sandbox));
    const init = await this.syncInit(pod, memory, sandbox, runs, pass);
    if (init.done && !init.failed) {
      for (const c of pod.spec.containers)
        await this.syncContainer(pod, memory, sandbox, c, runs, pass);
    }
    const after = pass.changed ? await this.afterChanges(memory, sandbox, runs, pass) : runs;
    await this.writeStatus(pod, memory, sandbox, after, init, pass);
    return pass.requeueMs;
  }

  /** Tears down pods the API no longer has (deleted while away, or force-deleted). */
  async sweepOrphans(known: ReadonlySet<string>): Promise<number> {
    const orphans = new Set(
      (await this.ctx.runtime.listPodSandboxes())
        .map((s) => s.config.uid)
        .filter((uid) => !known.has(uid)),
    );
    for (const uid of orphans) {
      this.ctx.logger.info({ uid }, 'removing the sandbox of a pod the API no longer has');
      await teardownPod(this.ctx, uid, undefined, 0);
      this.memories.delete(uid);
    }
    for (const uid of [...this.memories.keys()]) if (!known.has(uid)) this.memories.delete(uid);
    for (const uid of [...this.evicted]) if (!known.has(uid)) this.evicted.delete(uid);
    return orphans.size;
  }

  /**
   * The uids that had sandboxes when this agent first looked (an earlier agent's pods), from one
   * listing. Any other pod's sandboxes were made by this agent and are in its memory, so a new
   * pod needs no listing of every sandbox on the node.
   */
  private adoptable(): Promise<ReadonlySet<string>> {
    if (!this.startupSandboxes) {
      const listing = this.ctx.runtime
        .listPodSandboxes()
        .then((list): ReadonlySet<string> => new Set(list.map((s) => s.config.uid)));
      // A failed listing is asked again next time.
      listing.catch(() => (this.startupSandboxes = undefined));
      this.startupSandboxes = listing;
    }
    return this.startupSandboxes;
  }

  /** Adopts a ready sandbox of this pod uid (after an agent restart) or creates one. */
  private async ensureSandbox(pod: Pod, memory: PodMemory): Promise<SandboxStatus> {
    const uid = pod.metadata.uid ?? '';
    if (memory.sandboxId) {
      const s = await this.ctx.runtime.podSandboxStatus(memory.sandboxId).catch(() => undefined);
      if (s?.state === 'ready') return s;
    }
    const mayHaveOne = memory.sandboxId !== undefined || (await this.adoptable()).has(uid);
    const mine = mayHaveOne
      ? (await this.ctx.runtime.listPodSandboxes()).filter((s) => s.config.uid === uid)
      : [];
    const ready = mine.find((s) => s.state === 'ready');
    if (ready) {
      memory.sandboxId = ready.id;
      return ready;
    }
    for (const s of mine) await this.ctx.runtime.removePodSandbox(s.id);
    const created = await this.ctx.runtime.runPodSandbox({
      name: pod.metadata.name ?? '',
      namespace: pod.metadata.namespace ?? 'default',
      uid,
      hostname: pod.spec.hostname ?? pod.metadata.name,
      hostNetwork: pod.spec.hostNetwork,
      labels: { [PodLabel.Uid]: uid, [PodLabel.Name]: pod.metadata.name ?? '' },
    });
    memory.sandboxId = created.id;
    memory.startTime ??= new Date(this.ctx.clock.now()).toISOString();
    return created;
  }

  /** Init containers one at a time, in order; each must exit 0 before the next starts. */
  private async syncInit(
    pod: Pod,
    memory: PodMemory,
    sandbox: SandboxStatus,
    runs: Runs,
    pass: Pass,
  ): Promise<{ done: boolean; failed: boolean }> {
    for (const c of pod.spec.initContainers ?? []) {
      const latest = runs.get(c.name)?.at(-1);
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      if (latest?.state === 'running') return { done: false, failed: false };
      if (latest?.state === 'exited' && pod.spec.restartPolicy === RestartPolicy.Never) {
        return { done: false, failed: true };
      }
      await this.runOrRestart(pod, memory, sandbox, c, runs, pass, true);
      return { done: false, failed: false };
    }
    return { done: true, failed: false };
  }

  private async syncContainer(
    pod: Pod,
    memory: PodMemory,
    sandbox: SandboxStatus,
    c: Container,
    runs: Runs,
    pass: Pass,
  ): Promise<void> {
    const latest = runs.get(c.name)?.at(-1);
    if (latest?.state === 'running') {
      const probed = await runContainerProbes(
        this.ctx,
        pod,
        c,
        latest,
        sandbox.ip ?? this.ctx.hostIP,
      );
      if (probed.killed) pass.changed = pass.needsRelist = true;
      pass.ready.set(c.name, probed.ready);
      pass.started.set(c.name, probed.started);
      pass.requeueMs = soonest(pass.requeueMs, probed.nextMs);
      return;
    }
    if (
      latest?.state === 'exited' &&
      !shouldRestart(pod.spec.restartPolicy, latest.exitCode ?? 0)
    ) {
      return;
    }
    await this.runOrRestart(pod, memory, sandbox, c, runs, pass, false);
  }

  /** Starts the first run, or the next one once the crash back-off allows it. */
  private async runOrRestart(
    pod: Pod,
    memory: PodMemory,
    sandbox: SandboxStatus,
    c: Container,
    runs: Runs,
    pass: Pass,
    init: boolean,
  ): Promise<void> {
    const earlier = runs.get(c.name) ?? [];
    const latest = earlier.at(-1);
    if (latest && latest.state !== 'exited') {
      // created but never started (the agent stopped in between): start it now.
      pass.changed = pass.needsRelist = true;
      await this.ctx.runtime.startContainer(latest.id).catch(() => undefined);
      return;
    }
    const key = `${pod.metadata.uid}/${c.name}/crash`;
    const now = this.ctx.clock.now();
    if (latest) {
      const wait = this.ctx.backoff.remaining(key, now);
      if (wait > 0) {
        this.enterBackoff(pod, memory, c, attemptOf(latest), wait);
        pass.requeueMs = soonest(pass.requeueMs, wait);
        return;
      }
      const ranMs = Date.parse(latest.finishedAt ?? '') - Date.parse(latest.startedAt ?? '');
      this.ctx.backoff.next(key, now, Number.isFinite(ranMs) ? ranMs : 0);
    }
    pass.changed = true;
    const { retryMs: retry, id } = await startContainer(this.ctx, {
      pod,
      memory,
      sandboxId: sandbox.id,
      podIP: sandbox.ip ?? this.ctx.hostIP,
      container: c,
      attempt: latest ? attemptOf(latest) + 1 : 0,
      init,
      earlier,
    });
    if (id) pass.touched.push(id);
    if (retry > 0) pass.requeueMs = soonest(pass.requeueMs, retry);
  }

  /** The pod's containers: a shared listing, plus what this pod created since it was taken. */
  private async current(memory: PodMemory, sandbox: SandboxStatus): Promise<RuntimeContainer[]> {
    const overlay = memory.overlay;
    const { seq, items } = await this.ctx.snapshot.listing(
      sandbox.id,
      overlay ? 0 : memory.needSeq,
    );
    if (!overlay || seq >= memory.needSeq) {
      memory.overlay = undefined;
      return items;
    }
    const ids = new Set(overlay.map((c) => c.id));
    return [...items.filter((c) => !ids.has(c.id)), ...overlay];
  }

  /**
   * The pod's containers after this pass changed them: containers it created are read directly
   * (cheap), anything else (a kill, a start of an adopted container) waits for a fresh relist.
   * Either way the next sync of this pod only trusts a listing newer than these changes.
   */
  private async afterChanges(
    memory: PodMemory,
    sandbox: SandboxStatus,
    runs: Runs,
    pass: Pass,
  ): Promise<Runs> {
    memory.needSeq = this.ctx.snapshot.mark();
    memory.overlay = undefined;
    if (pass.needsRelist || pass.touched.length === 0) {
      return groupRuns(await this.ctx.snapshot.containers(sandbox.id, memory.needSeq));
    }
    // Older runs the starter removed may still be listed: only the newest two per name are read.
    const fresh = await Promise.all(pass.touched.map((id) => this.ctx.runtime.containerStatus(id)));
    const freshIds = new Set(fresh.map((c) => c.id));
    // The whole view of this pod, not only what this pass created: the listing the next sync
    // gets may predate earlier passes too (an init container started two passes ago).
    const view = [...[...runs.values()].flat().filter((c) => !freshIds.has(c.id)), ...fresh];
    memory.overlay = view;
    return groupRuns(view);
  }

  private enterBackoff(
    pod: Pod,
    memory: PodMemory,
    c: Container,
    attempt: number,
    wait: number,
  ): void {
    const message = `back-off ${Math.ceil(wait / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    memory.waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
    const announced = `${c.name}/${attempt}`;
    if (!memory.backoffAnnounced.has(announced)) {
      memory.backoffAnnounced.clear();
      memory.backoffAnnounced.add(announced);
      podEvent(this.ctx, pod, 'Warning', 'BackOff', 'Back-off restarting failed container', c.name);
    }
  }

  private view(
    pod: Pod,
    memory: PodMemory,
    c: Container,
    runs: Runs,
    pass: Pass,
    blocked?: string,
  ): ContainerView {
    const list = runs.get(c.name) ?? [];
    const latest = list.at(-1);
    if (latest?.state === 'running') memory.waiting.delete(c.name);
    const waiting =
      latest?.state === 'running'
        ? undefined
        : (memory.waiting.get(c.name) ?? (!latest && blocked ? { reason: blocked } : undefined));
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: memory.imageIDs.get(c.name),
      latest,
      previous: list.at(-2),
      restartCount: attemptOf(latest),
      waiting,
      ready: pass.ready.get(c.name) ?? !c.readinessProbe,
      started: pass.started.get(c.name) ?? !c.startupProbe,
    };
  }

  private async writeStatus(
    pod: Pod,
    memory: PodMemory,
    sandbox: SandboxStatus,
    runs: Runs,
    init: { done: boolean; failed: boolean },
    pass: Pass,
  ): Promise<void> {
    const blocked = init.failed ? 'PodInitializing' : init.done ? undefined : 'PodInitializing';
    const status = buildPodStatus({
      pod,
      init: (pod.spec.initContainers ?? []).map((c) => this.view(pod, memory, c, runs, pass)),
      containers: pod.spec.containers.map((c) => this.view(pod, memory, c, runs, pass, blocked)),
      initialized: init.done,
      initFailed: init.failed,
      podIP: pod.spec.hostNetwork ? this.ctx.hostIP : sandbox.ip,
      hostIP: this.ctx.hostIP,
      startTime:
        pod.status?.startTime ?? memory.startTime ?? new Date(this.ctx.clock.now()).toISOString(),
      now: new Date(this.ctx.clock.now()).toISOString(),
    });
    const json = stableJson(status);
    if (json === memory.lastWritten || json === stableJson(pod.status ?? {})) return;
    try {
      await this.ctx.cluster.updatePodStatus(pod, status);
      memory.lastWritten = json;
    } catch (e) {
      if (isBosunError(e, ErrorCode.NotFound)) return;
      throw e;
    }
  }
}
