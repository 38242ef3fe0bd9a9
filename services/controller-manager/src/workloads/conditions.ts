import type { Condition } from './types';

export function getCondition(conds: readonly Condition[] | undefined, type: string) {
  return conds?.find((c) => c.type === type);
}

/**
 * Sets a condition as Kubernetes' SetDeploymentCondition does: an unchanged status and reason
 * leaves the condition alone; a changed status starts a new lastTransitionTime.
 */
export function setCondition(conds: Condition[], next: Condition): Condition[] {
  const current = getCondition(conds, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return conds;
  const merged =
    current && current.status === next.status
      ? { ...next, lastTransitionTime: current.lastTransitionTime }
      : next;
  return [...conds.filter((c) => c.type !== next.type), merged];
}

export function removeCondition(conds: Condition[], type: string): Condition[] {
  return conds.filter((c) => c.type !== type);
}
