import type { AssumeCache } from './assume-cache';
import type { ClusterSnapshot } from './cluster-snapshot';
import { FitError } from './fit-error';
import { schedule, type ScheduleOptions } from './schedule';
import type { SchedulingQueue } from './scheduling-queue';
import type { Pod } from './types';

/** The write side of scheduling: the api-server's pods/binding subresource, behind a port. */
export interface Binder {
  bind(pod: Pod, nodeName: string): Promise<void>;
}

export interface ScheduleOneDeps {
  readonly queue: SchedulingQueue;
  readonly snapshot: ClusterSnapshot;
  readonly assumeCache: AssumeCache;
  readonly binder: Binder;
  readonly options?: ScheduleOptions;
  /** Report a pod that fits nowhere (a FailedScheduling Event, the PodScheduled condition). */
  readonly onUnschedulable?: (pod: Pod, error: FitError) => void;
  /** Report a bind that failed; the pod is retried after its back-off. */
  readonly onBindError?: (pod: Pod, error: unknown) => void;
}

export type ScheduleOneResult =
  | { readonly outcome: 'closed' }
  | { readonly outcome: 'unschedulable'; readonly pod: Pod; readonly error: FitError }
  | {
      readonly outcome: 'assumed';
      readonly pod: Pod;
      readonly nodeName: string;
      /** Settles when the bind is done: true when bound, false when it failed and was requeued. */
      readonly binding: Promise<boolean>;
    };

/**
 * One scheduling cycle, as kube-scheduler runs it: pop a pod, place it, assume it at once so the
 * next cycle sees the room taken, then bind in the background (the caller may start the next
 * cycle without waiting). A pod that fits nowhere is parked; a failed bind gives the room back
 * and retries after back-off. Placement errors other than FitError are programming errors and
 * propagate.
 */
export async function scheduleOne(deps: ScheduleOneDeps): Promise<ScheduleOneResult> {
  const { queue, snapshot, assumeCache, binder } = deps;
  const info = await queue.pop();
  if (!info) return { outcome: 'closed' };
  const cycle = queue.schedulingCycle;
  let nodeName: string;
  try {
    nodeName = schedule(info.pod, snapshot, deps.options).nodeName;
  } catch (error) {
    if (!(error instanceof FitError)) throw error;
    queue.addUnschedulable(info, cycle, error.unschedulablePlugins);
    deps.onUnschedulable?.(info.pod, error);
    return { outcome: 'unschedulable', pod: info.pod, error };
  }
  assumeCache.assume(info.pod, nodeName);
  const binding = binder.bind(info.pod, nodeName).then(
    () => {
      assumeCache.finishBinding(info.pod);
      queue.done(info.key);
      return true;
    },
    (error: unknown) => {
      assumeCache.forget(info.pod);
      queue.addBackoff(info);
      deps.onBindError?.(info.pod, error);
      return false;
    },
  );
  return { outcome: 'assumed', pod: info.pod, nodeName, binding };
}
