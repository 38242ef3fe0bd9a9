/** Which collection a call addresses: `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
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

/** A Kubernetes object as the client passes it around. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [field: string]: unknown;
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
