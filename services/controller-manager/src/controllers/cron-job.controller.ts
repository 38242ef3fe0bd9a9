import { isBosunError, ErrorCode } from '@bosun/common';
import {
  defineController,
  IndexName,
  realClock,
  type Clock,
  type Controller,
  type Informer,
  type KubeObject,
  type Result,
  controllerOwnerKey,
  formatTime,
  parseTime,
  newControllerRef,
} from '@bosun/controller-kit';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { CronSchedule } from './cron-schedule';
import { isTrue, JobConditionType } from './job-conditions';
import type { Job } from './job-types';
import { creationMs, isTerminating } from '../workloads/pod-state';
import { sameJson } from '../workloads/canonical-json';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';

export const ScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface JobReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
  resourceVersion?: string;
}

export interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: Job['spec'];
    };
  };
  status?: { active?: JobReference[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

export interface CronJobControllerDeps {
  readonly cronJobs: Informer<CronJob>;
  readonly jobs: Informer<Job>;
  readonly writer: WritePort;
  readonly clock?: Clock;
}

/** batch/v1 CronJob: a Job per scheduled time, with concurrency rules and history limits. */
export function cronJobController(ctx: ControllerContext): Controller {
  const deps: CronJobControllerDeps = {
    cronJobs: ctx.informers.for<CronJob>(Resources.cronJobs),
    jobs: ctx.informers.for<Job>(Resources.jobs),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const reconciler = new CronJobReconciler(deps);
  return defineController({
    ...kitOptions(ctx, 'cronjob'),
    informers: [deps.cronJobs],
    owns: [{ informer: deps.jobs, ownerKind: 'CronJob' }],
    reconcile: (key) => reconciler.reconcile(key),
  });
}

const isFinished = (job: Job) =>
  isTrue(job.status?.conditions, JobConditionType.Complete) ||
  isTrue(job.status?.conditions, JobConditionType.Failed);

/** The Job name for a scheduled time: `<cronjob>-<minutes since the epoch>`, as Kubernetes. */
export function jobNameFor(cronJob: CronJob, scheduledMs: number): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

export class CronJobReconciler {
  private readonly clock: Clock;

  constructor(private readonly deps: CronJobControllerDeps) {
    this.clock = deps.clock ?? realClock;
  }

  async reconcile(key: string): Promise<Result | void> {
    const cj = this.deps.cronJobs.get(key);
    if (!cj) return;
    const now = this.clock.now();
    const children = this.deps.jobs
      .byIndex(IndexName.Owner, cj.metadata.uid ?? '')
      .filter((j) => controllerOwnerKey(j, 'CronJob') === key);
    const status = { ...structuredClone(cj.status ?? {}) };
    const active = children.filter((j) => !isFinished(j) && !isTerminating(j));
    status.active = active.map(jobRef);
    const lastSuccess = lastSuccessfulTime(children, status.lastSuccessfulTime);
    if (lastSuccess !== undefined) status.lastSuccessfulTime = lastSuccess;
    await this.cleanUpHistory(cj, children);
    let result: Result | undefined;
    if (!cj.spec.suspend && !isTerminating(cj)) {
      result = await this.runDue(cj, children, status, now);
    }
    if (status.active.length === 0) delete status.active;
    if (!sameJson(status, cj.status ?? {})) {
      await this.deps.writer.updateStatus(Resources.cronJobs, { ...cj, status });
    }
    return result;
  }

  /** Starts the Job for the most recent due time, if the policies allow it now. */
  private async runDue(
    cj: CronJob,
    children: Job[],
    status: NonNullable<CronJob['status']>,
    now: number,
  ): Promise<Result> {
    const schedule = new CronSchedule(cj.spec.schedule, cj.spec.timeZone);
    let earliest = parseTime(status.lastScheduleTime) ?? creationMs(cj);
    const deadline = cj.spec.startingDeadlineSeconds;
    // Runs older than the starting deadline are missed for good, not started late.
    if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
    const window = schedule.window(earliest, now);
    const wait = { requeueAfter: Math.max(0, window.next - now) };
    if (window.latest === undefined) return wait;
    const name = jobNameFor(cj, window.latest);
    const active = status.active ?? [];
    if (children.some((j) => j.metadata.name === name)) {
      status.lastScheduleTime = formatTime(window.latest);
      return wait;
    }
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    // Forbid leaves lastScheduleTime alone: the run may still start when the active one ends.
    if (policy === 'Forbid' && active.length > 0) return wait;
    if (policy === 'Replace') {
      for (const ref of active) await this.deleteJob(ref.namespace, ref.name);
      status.active = [];
    }
    const created = await this.createJob(cj, name, window.latest);
    if (created) status.active = [...(status.active ?? []), jobRef(created)];
    status.lastScheduleTime = formatTime(window.latest);
    return wait;
  }

  private async createJob(cj: CronJob, name: string, scheduled: number): Promise<Job | undefined> {
    const template = cj.spec.jobTemplate;
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...template.metadata?.labels },
        annotations: {
          ...template.metadata?.annotations,
          [ScheduledTimestampAnnotation]: formatTime(scheduled),
        },
        ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(template.spec),
    };
    try {
      return await this.deps.writer.create(Resources.jobs, job);
    } catch (error) {
      // Created by us before a restart or a lost answer: the run happened.
      if (isBosunError(error, ErrorCode.AlreadyExists)) return undefined;
      throw error;
    }
  }

  /** Keeps the newest successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1) finished Jobs. */
  private async cleanUpHistory(cj: CronJob, children: Job[]): Promise<void> {
    const finished = children.filter((j) => isFinished(j) && !isTerminating(j));
    const failed = finished.filter((j) => isTrue(j.status?.conditions, JobConditionType.Failed));
    const succeeded = finished.filter((j) => !failed.includes(j));
    const limits: Array<[Job[], number]> = [
      [succeeded, cj.spec.successfulJobsHistoryLimit ?? 3],
      [failed, cj.spec.failedJobsHistoryLimit ?? 1],
    ];
    for (const [jobs, limit] of limits) {
      const oldestFirst = [...jobs].sort((a, b) => startedMs(a) - startedMs(b));
      for (const job of oldestFirst.slice(0, Math.max(0, oldestFirst.length - limit))) {
        await this.deleteJob(job.metadata.namespace ?? '', job.metadata.name ?? '');
      }
    }
  }

  private async deleteJob(namespace: string, name: string): Promise<void> {
    try {
      await this.deps.writer.delete(Resources.jobs, namespace, name, {
        propagationPolicy: 'Background',
      });
    } catch (error) {
      if (!isBosunError(error, ErrorCode.NotFound)) throw error;
    }
  }
}

function startedMs(job: Job): number {
  return parseTime(job.status?.startTime) ?? creationMs(job);
}

function jobRef(job: Job): JobReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata.name ?? '',
    namespace: job.metadata.namespace ?? '',
    uid: job.metadata.uid ?? '',
  };
}

function lastSuccessfulTime(children: Job[], recorded: string | undefined): string | undefined {
  const times = children
    .filter((j) => isTrue(j.status?.conditions, JobConditionType.Complete))
    .map((j) => parseTime(j.status?.completionTime))
    .concat(parseTime(recorded))
    .filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : formatTime(Math.max(...times));
}
