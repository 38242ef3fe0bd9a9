import type { LabelSelector } from './types';

type Labels = Readonly<Record<string, string>> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

const compiled = new WeakMap<LabelSelector, LabelMatcher>();

/**
 * Compiles a metav1.LabelSelector once per selector object (placement evaluates the same
 * selector against thousands of pods). An empty selector matches everything; an absent one
 * (`undefined`) matches nothing, as in Kubernetes.
 */
export function labelMatcher(selector: LabelSelector | undefined): LabelMatcher {
  if (!selector) return () => false;
  let fn = compiled.get(selector);
  if (!fn) {
    fn = compile(selector);
    compiled.set(selector, fn);
  }
  return fn;
}

function compile(selector: LabelSelector): LabelMatcher {
  const tests: Array<(labels: Readonly<Record<string, string>>) => boolean> = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) tests.push((l) => l[k] === v);
  for (const req of selector.matchExpressions ?? []) {
    const values = new Set(req.values ?? []);
    const { key } = req;
    if (req.operator === 'In') tests.push((l) => key in l && values.has(l[key]));
    else if (req.operator === 'NotIn') tests.push((l) => !(key in l) || !values.has(l[key]));
    else if (req.operator === 'Exists') tests.push((l) => key in l);
    else tests.push((l) => !(key in l));
  }
  return (labels) => {
    const l = labels ?? {};
    for (const t of tests) if (!t(l)) return false;
    return true;
  };
}

/** A stable identity for caching per-selector counts. */
export function selectorKey(namespace: string, selector: LabelSelector | undefined): string {
  return `${namespace}|${JSON.stringify(selector ?? null)}`;
}
