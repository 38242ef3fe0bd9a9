import {
  defineController,
  IndexName,
  realClock,
  type Clock,
  type Controller,
  type Informer,
  type Result,
  controllerOwnerKey,
  formatTime,
  parseTime,
} from '@bosun/controller-kit';
import { getCondition } from '../workloads/conditions';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { InFlightWrites } from './in-flight-writes';
import { isTrue, JobConditionType as T, JobReason, setCondition } from './job-conditions';
import { backoffDelay, lastFailureTime } from './job-backoff';
import { formatIndexes, parseIndexes, podIndex } from './job-indexes';
import { jobPod } from './job-pod';
import type { Job, JobStatus } from './job-types';
import { byAge, isPodActive, isPodReady, isTerminating } from '../workloads/pod-state';
import { sameJson } from '../workloads/canonical-json';
import type { Condition, Pod } from '../workloads/types';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';

/** At most this many pod creations per reconcile (Kubernetes' burstReplicas). */
export const JobBurst = 500;

export interface JobControllerDeps {
  readonly jobs: Informer<Job>;
  readonly pods: Informer<Pod>;
  readonly writer: WritePort;
  readonly clock?: Clock;
}

/** batch/v1 Job: run pods until enough succeed, or give up after too many failures or too long. */
export function jobController(ctx: ControllerContext): Controller {
  const deps: JobControllerDeps = {
    jobs: ctx.informers.for<Job>(Resources.jobs),
    pods: ctx.informers.for<Pod>(Resources.pods),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const reconciler = new JobReconciler(deps);
  return defineController({
    ...kitOptions(ctx, 'job'),
    informers: [deps.jobs],
    owns: [{ informer: deps.pods, ownerKind: 'Job' }],
    reconcile: (key) => reconciler.reconcile(key),
  });
}

/** What the pods of one Job say right now. */
interface Observed {
  active: Pod[];
  terminating: number;
  succeeded: number;
  failed: number;
  restarts: number;
  succeededIndexes: Set<number>;
  /** When the newest failed pod finished, if its node agent said so. */
  lastFailure?: number;
}

export class JobReconciler {
  private readonly clock: Clock;
  private readonly creations: InFlightWrites;
  private readonly deletions: InFlightWrites;
  /** When we first saw each Job's current failure count (when pods carry no finish time). */
  private readonly failuresSeen = new Map<string, { failed: number; at: number }>();

  constructor(private readonly deps: JobControllerDeps) {
    this.clock = deps.clock ?? realClock;
    this.creations = new InFlightWrites(this.clock);
    this.deletions = new InFlightWrites(this.clock);
  }

  async reconcile(key: string): Promise<Result | void> {
    const job = this.deps.jobs.get(key);
    if (!job) {
      this.creations.forget(key);
      this.deletions.forget(key);
      this.failuresSeen.delete(key);
      return;
    }
    const conditions = job.status?.conditions;
    if (isTrue(conditions, T.Complete) || isTrue(conditions, T.Failed)) return;
    // Being deleted: the garbage collector removes the pods; creating more would race it.
    if (isTerminating(job)) return;
    const now = this.clock.now();
    const seen = this.observe(key, job);
    const status: JobStatus = {
      ...structuredClone(job.status ?? {}),
      conditions: [...(conditions ?? [])],
    };
    status.succeeded = seen.succeeded;
    status.failed = seen.failed;
    if (job.spec.completionMode === 'Indexed') {
      status.completedIndexes = formatIndexes(seen.succeededIndexes);
    }
    const result = await this.progress(key, job, seen, status, now);
    status.active = seen.active.length;
    status.ready = seen.active.filter(isPodReady).length;
    status.terminating = seen.terminating;
    if (!sameJson(status, job.status)) {
      await this.deps.writer.updateStatus(Resources.jobs, { ...job, status });
    }
    return result;
  }

  /** Suspends, finishes, or runs the Job; `seen.active` ends as what is active afterwards. */
  private async progress(
    key: string,
    job: Job,
    seen: Observed,
    status: JobStatus,
    now: number,
  ): Promise<Result | void> {
    let conditions = status.conditions ?? [];
    if (job.spec.suspend === true) {
      status.conditions = setCondition(
        conditions,
        T.Suspended,
        'True',
        JobReason.JobSuspended,
        now,
      );
      await this.deletePods(key, job, seen);
      return;
    }
    if (isTrue(conditions, T.Suspended)) {
      // A resumed Job starts its deadline afresh.
      conditions = setCondition(conditions, T.Suspended, 'False', JobReason.JobResumed, now);
      status.startTime = formatTime(now);
    }
    status.startTime ??= formatTime(now);
    const startMs = parseTime(status.startTime) ?? now;
    const failure =
      getCondition(conditions, T.FailureTarget)?.reason ?? this.failure(job, seen, startMs, now);
    const success =
      !failure && (isTrue(conditions, T.SuccessCriteriaMet) || this.succeeded(job, seen));
    if (failure || success) {
      status.conditions = this.finish(job, seen, conditions, failure, now);
      await this.deletePods(key, job, seen);
      if (success && isTrue(status.conditions, T.Complete)) status.completionTime = formatTime(now);
      return;
    }
    status.conditions = conditions;
    const hold = this.backoffRemaining(key, seen, now);
    await this.manage(key, job, seen, hold === 0);
    const deadline = job.spec.activeDeadlineSeconds;
    const wakes = [
      hold > 0 ? hold : Number.POSITIVE_INFINITY,
      deadline === undefined ? Number.POSITIVE_INFINITY : startMs + deadline * 1000 - now,
    ];
    const next = Math.min(...wakes);
    return Number.isFinite(next) ? { requeueAfter: Math.max(0, next) } : undefined;
  }

  /** How long replacement pods must still wait after the last failure (exponential back-off). */
  private backoffRemaining(key: string, seen: Observed, now: number): number {
    if (seen.failed === 0) {
      this.failuresSeen.delete(key);
      return 0;
    }
    let last = seen.lastFailure;
    if (last === undefined) {
      const record = this.failuresSeen.get(key);
      if (record?.failed !== seen.failed)
        this.failuresSeen.set(key, { failed: seen.failed, at: now });
      last = this.failuresSeen.get(key)!.at;
    }
    return Math.max(0, last + backoffDelay(seen.failed) - now);
  }

  /**
   * Kubernetes 1.31+: FailureTarget / SuccessCriteriaMet first; the terminal Failed / Complete
   * only once no pod of the Job is still running or terminating.
   */
  private finish(
    job: Job,
    seen: Observed,
    conditions: Condition[],
    failure: string | undefined,
    now: number,
  ): Condition[] {
    const [interim, terminal] = failure
      ? [T.FailureTarget, T.Failed]
      : [T.SuccessCriteriaMet, T.Complete];
    const reason = failure ?? JobReason.CompletionsReached;
    let next = setCondition(conditions, interim, 'True', reason, now);
    if (seen.active.length === 0 && seen.terminating === 0) {
      next = setCondition(next, terminal, 'True', reason, now);
    }
    return next;
  }

  private failure(job: Job, seen: Observed, startMs: number, now: number): string | undefined {
    const limit = job.spec.backoffLimit ?? 6;
    const restartsExceeded =
      job.spec.template.spec.restartPolicy === 'OnFailure' &&
      (limit === 0 ? seen.restarts > 0 : seen.restarts >= limit);
    if (seen.failed > limit || restartsExceeded) return JobReason.BackoffLimitExceeded;
    const deadline = job.spec.activeDeadlineSeconds;
    if (deadline !== undefined && startMs + deadline * 1000 <= now)
      return JobReason.DeadlineExceeded;
    return undefined;
  }

  private succeeded(job: Job, seen: Observed): boolean {
    const completions = job.spec.completions;
    // Without completions (a work queue), one success and no pod still running is done.
    if (completions === undefined || completions === null) {
      return seen.succeeded > 0 && seen.active.length === 0;
    }
    return seen.succeeded >= completions;
  }

  private observe(key: string, job: Job): Observed {
    const owned = this.deps.pods
      .byIndex(IndexName.Owner, job.metadata.uid ?? '')
      .filter((p) => controllerOwnerKey(p, 'Job') === key);
    const live = new Set(owned.map((p) => p.metadata.uid ?? ''));
    const deleting = this.deletions.pending(key, (uid) => !live.has(uid));
    const names = new Set(owned.map((p) => p.metadata.name));
    this.creations.pending(key, (token) => names.has(token.split('#')[0]));
    const phase = (p: Pod, want: string) => p.status?.phase === want;
    const completions = job.spec.completions ?? 1;
    const succeededIndexes = parseIndexes(job.status?.completedIndexes);
    for (const p of owned.filter((x) => phase(x, 'Succeeded'))) {
      const index = podIndex(p, completions);
      if (index !== undefined) succeededIndexes.add(index);
    }
    const active = owned.filter((p) => isPodActive(p) && !deleting.has(p.metadata.uid ?? ''));
    const indexed = job.spec.completionMode === 'Indexed';
    // Counts never go down: pod GC may remove terminated pods after they were counted.
    const count = (n: number, recorded: number | undefined) => Math.max(n, recorded ?? 0);
    return {
      active,
      terminating:
        owned.filter((p) => !isPodActive(p) && !phase(p, 'Succeeded') && !phase(p, 'Failed'))
          .length +
        owned.filter((p) => isPodActive(p) && deleting.has(p.metadata.uid ?? '')).length,
      succeeded: indexed
        ? succeededIndexes.size
        : count(owned.filter((p) => phase(p, 'Succeeded')).length, job.status?.succeeded),
      failed: count(owned.filter((p) => phase(p, 'Failed')).length, job.status?.failed),
      restarts: active.reduce(
        (sum, p) =>
          sum + (p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0),
        0,
      ),
      succeededIndexes,
      lastFailure: lastFailureTime(owned.filter((p) => phase(p, 'Failed'))),
    };
  }

  /** Creates or deletes pods so the right number run (NonIndexed) or the right indexes (Indexed). */
  private async manage(key: string, job: Job, seen: Observed, mayCreate: boolean): Promise<void> {
    const pending = [...this.creations.pending(key, () => false)];
    const parallelism = job.spec.parallelism ?? 1;
    const running = seen.active.length + pending.length;
    if (job.spec.completionMode === 'Indexed') {
      const busy = new Set(seen.succeededIndexes);
      for (const p of seen.active) busy.add(podIndex(p, job.spec.completions ?? 1) ?? -1);
      for (const t of pending) busy.add(Number(t.split('#')[1]));
      const free: number[] = [];
      for (let i = 0; i < (job.spec.completions ?? 1) && free.length < parallelism - running; i++) {
        if (!busy.has(i)) free.push(i);
      }
      if (!mayCreate) return;
      for (const index of free.slice(0, JobBurst)) await this.createPod(key, job, seen, index);
      return;
    }
    const completions = job.spec.completions;
    const want =
      completions === undefined || completions === null
        ? seen.succeeded > 0
          ? 0
          : parallelism
        : Math.max(0, Math.min(parallelism, completions - seen.succeeded));
    const creations = mayCreate ? Math.min(want, running + JobBurst) : 0;
    for (let i = running; i < creations; i++) await this.createPod(key, job, seen);
    if (want < seen.active.length) {
      // Surplus (parallelism lowered): not-ready and newest pods go first.
      const ranked = [...seen.active].sort(
        (a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || byAge(b, a),
      );
      await this.deletePods(key, job, {
        ...seen,
        active: ranked.slice(0, seen.active.length - want),
      });
      seen.active = ranked.slice(seen.active.length - want);
    }
  }

  private async createPod(key: string, job: Job, seen: Observed, index?: number): Promise<void> {
    const created = await this.deps.writer.create(Resources.pods, jobPod(job, index));
    this.creations.add(key, `${created.metadata.name ?? ''}#${index ?? ''}`);
    seen.active.push(created);
  }

  /** Deletes every pod in `seen.active`; they count as terminating until they are gone. */
  private async deletePods(key: string, job: Job, seen: Observed): Promise<void> {
    for (const pod of seen.active) {
      this.deletions.add(key, pod.metadata.uid ?? '');
      try {
        await this.deps.writer.delete(
          Resources.pods,
          job.metadata.namespace ?? '',
          pod.metadata.name ?? '',
        );
      } catch (error) {
        this.deletions.remove(key, pod.metadata.uid ?? '');
        if ((error as { code?: string }).code !== 'NotFound') throw error;
        continue;
      }
      if (!isTerminating(pod)) seen.terminating++;
    }
    seen.active = [];
  }
}

export type { Job, JobStatus } from './job-types';
