import { toTable, type KindInfo } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';

/** Whether the Accept header asks for a Table (the first acceptable type decides). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0].replace(/\s+/g, '');
  return first.includes('as=Table') && first.includes('g=meta.k8s.io');
}

export interface TableMeta {
  readonly resourceVersion?: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/**
 * The Table of `objects` (resource-model renders the kind's columns). `withColumns` false drops
 * the column definitions, as Kubernetes does for every watch event after the first.
 */
export function tableOf(
  kind: KindInfo,
  objects: readonly StoredObject[],
  query: URLSearchParams,
  meta: TableMeta,
  withColumns = true,
): Record<string, unknown> {
  const table = toTable(kind, objects, {
    includeObject: query.get('includeObject') ?? undefined,
    ...meta,
  }) as unknown as Record<string, unknown>;
  return withColumns ? table : { ...table, columnDefinitions: [] };
}
