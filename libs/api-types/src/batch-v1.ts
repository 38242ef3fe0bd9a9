import type { Served } from './kube-object';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';

/** batch/v1 kinds, from `kubernetes-models`; a kind whose spec validation requires has it always. */
export type Job = Served<IJob, 'spec'>;
export type CronJob = Served<ICronJob, 'spec'>;

export type { IJobSpec as JobSpec } from 'kubernetes-models/batch/v1/JobSpec';
export type { IJobStatus as JobStatus } from 'kubernetes-models/batch/v1/JobStatus';
export type { IJobCondition as JobCondition } from 'kubernetes-models/batch/v1/JobCondition';
export type { ICronJobSpec as CronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec';
export type { ICronJobStatus as CronJobStatus } from 'kubernetes-models/batch/v1/CronJobStatus';
