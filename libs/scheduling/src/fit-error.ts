import { BosunError, ErrorCode } from '@bosun/common';
import type { Rejection } from './framework';
import type { Pod } from './types';

export const ErrNoNodesAvailable = 'no nodes available to schedule pods';
const PreemptionNotHelpful = 'Preemption is not helpful for scheduling';
const NoPreemptionVictims = 'No preemption victims found for incoming pod';

/** "2 Insufficient cpu, 1 node(s) had ...": counts per reason, sorted as strings like upstream. */
function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

/**
 * Bosun does not preempt yet, so the post-filter part says what kube-scheduler's default
 * preemption says when it finds no victims: unresolvable nodes are "not helpful", the rest have
 * "no victims". A pod with preemptionPolicy Never is not eligible at all.
 */
function preemptionMessage(
  pod: Pod,
  total: number,
  rejections: ReadonlyMap<string, Rejection>,
): string {
  if (pod.spec.preemptionPolicy === 'Never')
    return 'preemption: not eligible due to preemptionPolicy=Never.';
  const outcomes = [...rejections.values()].map((r) =>
    r.unresolvable ? PreemptionNotHelpful : NoPreemptionVictims,
  );
  return `preemption: 0/${total} nodes are available: ${histogram(outcomes)}.`;
}

/** The pod fits nowhere. The message has kube-scheduler's exact shape, for Events and conditions. */
export class FitError extends BosunError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    /** Node name -> why it was rejected. */
    readonly rejections: ReadonlyMap<string, Rejection>,
  ) {
    super(ErrorCode.Unavailable, FitError.format(pod, numAllNodes, rejections), {
      context: { pod: pod.metadata.name, namespace: pod.metadata.namespace },
      retryable: true,
    });
  }

  static format(pod: Pod, total: number, rejections: ReadonlyMap<string, Rejection>): string {
    if (total === 0) return `0/0 nodes are available: ${ErrNoNodesAvailable}.`;
    const reasons = [...rejections.values()].flatMap((r) => r.reasons);
    return `0/${total} nodes are available: ${histogram(reasons)}. ${preemptionMessage(pod, total, rejections)}`;
  }

  /** Plugins that rejected some node: the scheduling queue re-tries on events that concern them. */
  get unschedulablePlugins(): Set<string> {
    return new Set([...this.rejections.values()].map((r) => r.plugin));
  }
}
