import type { ClusterSnapshot } from './cluster-snapshot';
import { defaultFilters } from './filters';
import { FitError } from './fit-error';
import type { CycleInput, FilterPlugin, Rejection, ScorePlugin } from './framework';
import { podInfoOf, type NodeInfo } from './node-info';
import { numFeasibleNodesToFind } from './num-feasible-nodes';
import { hashString, seededRandom, shuffled } from './random';
import { defaultScores } from './scores';
import { podKey, type Pod } from './types';

export interface ScheduleOptions {
  /** Share of nodes to find feasible before scoring; 0 or absent: kube-scheduler's adaptive rule. */
  readonly percentageOfNodesToScore?: number;
  /** Seeds node order and tie-breaks: same seed, same snapshot, same pod -> same node. */
  readonly seed?: number;
  readonly filters?: readonly FilterPlugin[];
  readonly scores?: readonly ScorePlugin[];
}

export interface ScheduleResult {
  readonly nodeName: string;
  /** Nodes whose filters ran, and how many of them passed. */
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  /** Weighted total per scored node (absent when only one node was feasible). */
  readonly scores?: ReadonlyMap<string, number>;
}

/**
 * Places one pod, Nomad-style as a chain, in kube-scheduler's order:
 *  1. prepare every filter once for this pod (the pre-filter: counts, selectors, requests);
 *  2. visit nodes in a seeded shuffled order, recording the first rejection of each node, until
 *     enough feasible nodes are found (all of them in small clusters);
 *  3. none feasible: a FitError naming every node's reason;
 *  4. score the feasible nodes with each weighted scorer, normalized to 0..100;
 *  5. pick the best, breaking ties with the same seeded generator.
 * Throws FitError when the pod fits nowhere.
 */
export function schedule(
  pod: Pod,
  snapshot: ClusterSnapshot,
  opts: ScheduleOptions = {},
): ScheduleResult {
  const nodes = snapshot.list();
  const input: CycleInput = { podInfo: podInfoOf(pod), snapshot };
  const random = seededRandom((opts.seed ?? 0) ^ hashString(podKey(pod)));
  if (nodes.length === 0) throw new FitError(pod, 0, new Map());
  const want = numFeasibleNodesToFind(nodes.length, opts.percentageOfNodesToScore);
  const { feasible, rejections, evaluated } = findFeasible(
    input,
    shuffled(nodes, random),
    want,
    opts.filters,
  );
  if (feasible.length === 0) throw new FitError(pod, nodes.length, rejections);
  if (feasible.length === 1) {
    return { nodeName: feasible[0].name, evaluatedNodes: evaluated, feasibleNodes: 1 };
  }
  const totals = scoreNodes(input, feasible, opts.scores ?? defaultScores);
  const best = selectHost(feasible, totals, random);
  const scores = new Map(feasible.map((n, i) => [n.name, totals[i]]));
  return { nodeName: best.name, evaluatedNodes: evaluated, feasibleNodes: feasible.length, scores };
}

function findFeasible(
  input: CycleInput,
  order: readonly NodeInfo[],
  want: number,
  filters: readonly FilterPlugin[] = defaultFilters,
) {
  const prepared = filters.map((f) => f.prepare(input)).filter((f) => f !== undefined);
  const feasible: NodeInfo[] = [];
  const rejections = new Map<string, Rejection>();
  let evaluated = 0;
  for (const node of order) {
    if (feasible.length >= want) break;
    evaluated++;
    let rejection: Rejection | undefined;
    for (const check of prepared) {
      rejection = check(node);
      if (rejection) break;
    }
    if (rejection) rejections.set(node.name, rejection);
    else feasible.push(node);
  }
  return { feasible, rejections, evaluated };
}

export function scoreNodes(
  input: CycleInput,
  feasible: readonly NodeInfo[],
  plugins: readonly ScorePlugin[],
): number[] {
  const totals = new Array<number>(feasible.length).fill(0);
  for (const plugin of plugins) {
    const prepared = plugin.prepare(input, feasible);
    if (!prepared) continue;
    const scores = feasible.map((n) => prepared.score(n));
    prepared.normalize?.(scores, feasible);
    for (let i = 0; i < totals.length; i++) totals[i] += scores[i] * plugin.weight;
  }
  return totals;
}

/** Highest total wins; among equals each has the same chance (reservoir sampling). */
function selectHost(
  nodes: readonly NodeInfo[],
  totals: readonly number[],
  random: () => number,
): NodeInfo {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return nodes[best];
}
