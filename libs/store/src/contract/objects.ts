/**
 * What the store keeps and how a read names it: shared by the three parts of the contract
 * (`EventLog`, `ObjectStore`, `Coordination`) and by every dialect.
 */
import type { KubeObject, ObjectMeta } from '@bosun/api-types';

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
export type StoredObject = KubeObject;
export type { ObjectMeta };

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
