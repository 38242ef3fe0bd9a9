import { formatTime } from '@bosun/controller-kit';
import { getCondition } from '../workloads/conditions';
import type { Condition } from '../workloads/types';

export const JobConditionType = {
  Complete: 'Complete',
  Failed: 'Failed',
  Suspended: 'Suspended',
  FailureTarget: 'FailureTarget',
  SuccessCriteriaMet: 'SuccessCriteriaMet',
} as const;

export const JobReason = {
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  CompletionsReached: 'CompletionsReached',
  JobSuspended: 'JobSuspended',
  JobResumed: 'JobResumed',
} as const;

export const JobMessage: Record<string, string> = {
  [JobReason.BackoffLimitExceeded]: 'Job has reached the specified backoff limit',
  [JobReason.DeadlineExceeded]: 'Job was active longer than specified deadline',
  [JobReason.CompletionsReached]: 'Reached expected number of succeeded pods',
  [JobReason.JobSuspended]: 'Job suspended',
  [JobReason.JobResumed]: 'Job resumed',
};

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/**
 * Sets a condition, keeping it untouched when nothing changed (so a reconcile that learns nothing
 * writes nothing) and moving lastTransitionTime only when the status flips.
 */
export function setCondition(
  conditions: Condition[],
  type: string,
  status: Condition['status'],
  reason: string,
  now: number,
): Condition[] {
  const old = getCondition(conditions, type);
  if (old && old.status === status && old.reason === reason) return conditions;
  const at = formatTime(now);
  const next: Condition = {
    type,
    status,
    reason,
    message: JobMessage[reason] ?? '',
    lastProbeTime: at,
    lastTransitionTime: old && old.status === status ? (old.lastTransitionTime ?? at) : at,
  };
  return old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next];
}
