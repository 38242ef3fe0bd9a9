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
