import type { Pod } from '../workloads/types';
import { parseTime } from '@bosun/controller-kit';

/** Kubernetes recreates failed Job pods after 10 s, 20 s, 40 s... at most 6 minutes. */
export const JobBackoffBaseMs = 10_000;
export const JobBackoffMaxMs = 6 * 60_000;

export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(JobBackoffBaseMs * 2 ** Math.min(failures - 1, 30), JobBackoffMaxMs);
}

/** When the newest failed pod's containers finished, as its node agent reported it. */
export function lastFailureTime(failed: readonly Pod[]): number | undefined {
  let last: number | undefined;
  for (const pod of failed) {
    const statuses = (pod.status?.containerStatuses ?? []) as Array<{
      state?: { terminated?: { finishedAt?: string } };
    }>;
    for (const s of statuses) {
      const at = parseTime(s.state?.terminated?.finishedAt);
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
  }
  return last;
}
