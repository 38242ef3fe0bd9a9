/**
 * What the store keeps and how a read names it: shared by the three parts of the contract
 * (`EventLog`, `ObjectStore`, `Coordination`) and by every dialect.
 */

/** The identity of a stored resource type. `group` is '' for the core API group. */
export interface ResourceType {
  readonly group: string;
  readonly resource: string; // plural, lower case: 'pods', 'deployments'
  readonly namespaced: boolean;
}

/** A key: the resource type plus namespace ('' for cluster-scoped) and name. */
export interface ObjectKey {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

/** A Kubernetes-shaped object as the store keeps it; only `metadata` is interpreted by the store. */
export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** Which events or objects a read concerns. Absent fields match everything. */
export interface Filter {
  readonly group?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h`. */
  readonly labelSelector?: string;
  /** Kubernetes field selector syntax on indexed fields: `metadata.name=x,spec.nodeName!=y`. */
  readonly fieldSelector?: string;
}
