import { tolerates, type Taint, type Toleration } from '@bosun/scheduling';
import { formatTime, parseTime } from '@bosun/controller-kit';

export const UnreachableTaintKey = 'node.kubernetes.io/unreachable';
export const NotReadyTaintKey = 'node.kubernetes.io/not-ready';

export interface NodeTaint extends Taint {
  readonly timeAdded?: string;
}

export type TolerationWithSeconds = Toleration & { readonly tolerationSeconds?: number };

const OWN_KEYS = new Set([UnreachableTaintKey, NotReadyTaintKey]);

/**
 * The node's taints with the not-ready / unreachable pair matching its Ready status (NoSchedule
 * keeps new pods away, NoExecute evicts running ones); other taints and the timeAdded of a taint
 * that stays are kept.
 */
export function taintsFor(
  current: readonly NodeTaint[],
  ready: string | undefined,
  now: number,
): NodeTaint[] {
  const key = ready === 'Unknown' ? UnreachableTaintKey : ready === 'False' ? NotReadyTaintKey : '';
  const kept = current.filter((t) => !OWN_KEYS.has(t.key) || t.key === key);
  if (key === '') return kept;
  const out = [...kept];
  for (const effect of ['NoSchedule', 'NoExecute'] as const) {
    if (!out.some((t) => t.key === key && t.effect === effect)) {
      out.push(
        effect === 'NoExecute' ? { key, effect, timeAdded: formatTime(now) } : { key, effect },
      );
    }
  }
  return out;
}

/**
 * When a pod must leave a node with these NoExecute taints: now if one is not tolerated, else
 * when the shortest matching tolerationSeconds since the taint was added runs out (never when
 * every matching toleration is unbounded).
 */
export function evictionTime(
  taints: readonly NodeTaint[],
  tolerations: readonly TolerationWithSeconds[],
  now: number,
): number {
  let at = Number.POSITIVE_INFINITY;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    const seconds = Math.min(
      ...matching.map((t) =>
        t.tolerationSeconds === undefined
          ? Number.POSITIVE_INFINITY
          : Math.max(0, t.tolerationSeconds),
      ),
    );
    const added = parseTime(taint.timeAdded) ?? now;
    at = Math.min(at, added + seconds * 1000);
  }
  return at;
}
