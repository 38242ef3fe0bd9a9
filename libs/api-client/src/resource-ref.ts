import type { GroupVersionResource, KubeObject } from '@bosun/api-types';

export type { KubeObject };

/**
 * Which collection a call addresses: one of `Resources` from @bosun/api-types
 * (`{ group: 'apps', version: 'v1', resource: 'deployments' }`), maybe narrowed to a namespace.
 */
export interface ResourceRef extends GroupVersionResource {
  /** Set for namespaced resources; absent lists or watches across all namespaces. */
  readonly namespace?: string;
}

export function resourcePath(ref: ResourceRef, name?: string, subresource?: string): string {
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  const item = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = subresource ? `/${subresource}` : '';
  return `${base}${ns}/${ref.resource}${item}${sub}`;
}

export const PatchType = {
  Json: 'application/json-patch+json',
  Merge: 'application/merge-patch+json',
  Strategic: 'application/strategic-merge-patch+json',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/**
 * Kubernetes' DeleteOptions as a client sends them. Preconditions are checked by the server against
 * the object at the moment it deletes (Conflict when they do not hold), so a client never has to
 * read first to delete only the object it knows.
 */
export interface DeleteOptions {
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  readonly items: T[];
  readonly metadata: { resourceVersion?: string; continue?: string };
}

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

export interface ListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
}
