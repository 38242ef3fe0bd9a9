import type { KindInfo } from './kind-definition';

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListOptionsOut {
  readonly resourceVersion?: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/**
 * A list response (`PodList`, `DeploymentList`): items get their `apiVersion` and `kind` back, since
 * a stored object may lack them and clients such as kubectl rely on them per item.
 */
export function toList<T extends object>(
  kind: KindInfo,
  items: readonly T[],
  opts: ListOptionsOut = {},
): { kind: string; apiVersion: string; metadata: ListMeta; items: T[] } {
  const metadata: ListMeta = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue !== undefined && opts.continue !== '') metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: kind.listKind,
    apiVersion: kind.apiVersion,
    metadata,
    items: items.map((i) => ({ apiVersion: kind.apiVersion, kind: kind.kind, ...i })),
  };
}
