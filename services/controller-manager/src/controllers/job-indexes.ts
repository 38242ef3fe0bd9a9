import type { Pod } from '../workloads/types';

export const CompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';

/** The completion index an Indexed Job's pod carries, if it is a valid one. */
export function podIndex(pod: Pod, completions: number): number | undefined {
  const raw =
    (pod.metadata['annotations'] as Record<string, string> | undefined)?.[
      CompletionIndexAnnotation
    ] ?? pod.metadata.labels?.[CompletionIndexAnnotation];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const index = Number(raw);
  return index < completions ? index : undefined;
}

/** `status.completedIndexes`: sorted indexes as ranges, e.g. "0-2,4". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of formatIndexes (indexes completed by pods that may since have been removed). */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let i = from; i <= to && i - from < 100_000; i++) out.add(i);
  }
  return out;
}
