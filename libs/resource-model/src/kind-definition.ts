/**
 * The shape of one registry entry: everything Bosun needs to know about a kind to serve it the way
 * the Kubernetes API server does (discovery, storage identity, field selectors, validation schema).
 */

import type { JsonSchema } from './json-schema';

/** The identity of a stored resource type; structurally identical to `@bosun/store`'s ResourceType. */
export interface ResourceType {
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

export const Verb = {
  Create: 'create',
  Delete: 'delete',
  DeleteCollection: 'deletecollection',
  Get: 'get',
  List: 'list',
  Patch: 'patch',
  Update: 'update',
  Watch: 'watch',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Every verb a plain resource serves, in the order the real server lists them. */
export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** A subresource such as `pods/status` or `deployments/scale`. */
export interface SubresourceDefinition {
  readonly name: string;
  readonly verbs: readonly string[];
  /** The kind the subresource speaks; defaults to the parent kind. */
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
}

export interface KindDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural, lower case: the resource name in URLs. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  readonly subresources: readonly SubresourceDefinition[];
  /** Field selector keys beyond metadata.name / metadata.namespace. */
  readonly fieldSelectors: readonly string[];
  /** OpenAPI definition name, e.g. `io.k8s.api.core.v1.Pod`. */
  readonly schema: string;
  /**
   * The definition itself, for kinds whose schema no npm package ships (Bosun's own `bosun.dev`
   * kinds). Its `$ref`s may point at any upstream definition (ObjectMeta...).
   */
  readonly openAPISchema?: JsonSchema;
}

/** A registry entry with the values derived from the table filled in. */
export interface KindInfo extends KindDefinition {
  readonly apiVersion: string;
  readonly listKind: string;
  readonly type: ResourceType;
  /** All selectable fields: metadata.name, metadata.namespace (namespaced kinds) and the extras. */
  readonly selectableFields: readonly string[];
}
