import type { ClusterSnapshot } from './cluster-snapshot';
import type { NodeInfo, PodInfo } from './node-info';

/**
 * Why a node cannot take the pod. `unresolvable` marks reasons preemption cannot fix (a taint, a
 * selector) — kube-scheduler's UnschedulableAndUnresolvable.
 */
export interface Rejection {
  readonly plugin: string;
  readonly reasons: readonly string[];
  readonly unresolvable: boolean;
}

/** What every plugin sees in one scheduling cycle. */
export interface CycleInput {
  readonly podInfo: PodInfo;
  readonly snapshot: ClusterSnapshot;
}

/**
 * A feasibility check, prepared once per pod (its pre-filter) and then asked per node. `prepare`
 * returns undefined when the check has nothing to say about this pod, so it costs nothing.
 */
export interface FilterPlugin {
  readonly name: string;
  prepare(input: CycleInput): ((node: NodeInfo) => Rejection | undefined) | undefined;
}

/** A prepared score: raw per node, then normalized over the feasible nodes to 0..100. */
export interface PreparedScore {
  score(node: NodeInfo): number;
  normalize?(scores: number[], nodes: readonly NodeInfo[]): void;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  prepare(input: CycleInput, feasible: readonly NodeInfo[]): PreparedScore | undefined;
}

export const MaxNodeScore = 100;

export function reject(
  plugin: string,
  reason: string | readonly string[],
  unresolvable = false,
): Rejection {
  return { plugin, reasons: typeof reason === 'string' ? [reason] : reason, unresolvable };
}

/** Scales scores so the best is 100 (or, reversed, so the lowest raw value gets 100). */
export function normalizeScores(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MaxNodeScore : 0;
    else {
      const s = Math.floor((MaxNodeScore * scores[i]) / max);
      scores[i] = reverse ? MaxNodeScore - s : s;
    }
  }
}
