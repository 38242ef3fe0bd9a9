import type { KindInfo } from './kind-definition';
import { defaultRegistry, type KindRegistry } from './registry';

/**
 * Aggregated discovery (`apidiscovery.k8s.io/v2`), what kubectl 1.32 asks `/api` and `/apis` for
 * first with `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`.
 * `/api` answers the core group alone, `/apis` every named group.
 */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: { version: string; resources: APIResourceDiscovery[]; freshness: 'Current' }[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(k: KindInfo): APIResourceDiscovery {
  const subresources = k.subresources.map((s) => ({
    subresource: s.name,
    responseKind: s.kind ?? { group: k.group, version: k.version, kind: k.kind },
    verbs: [...s.verbs],
  }));
  return {
    resource: k.resource,
    responseKind: { group: '', version: '', kind: k.kind },
    scope: k.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: k.singular,
    verbs: [...k.verbs],
    ...(k.shortNames.length > 0 ? { shortNames: [...k.shortNames] } : {}),
    ...(k.categories.length > 0 ? { categories: [...k.categories] } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}

function groupDiscovery(group: string, registry: KindRegistry): APIGroupDiscovery {
  const versions = registry
    .groupVersions()
    .filter((v) => v.group === group)
    .map(({ version }) => ({
      version,
      resources: registry
        .kinds()
        .filter((k) => k.group === group && k.version === version)
        .map(resourceDiscovery),
      freshness: 'Current' as const,
    }));
  return {
    metadata: group === '' ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions,
  };
}

/** The aggregated document for `/api` (`legacy` true: the core group) or `/apis` (named groups). */
export function aggregatedDiscovery(
  legacy: boolean,
  registry: KindRegistry = defaultRegistry,
): APIGroupDiscoveryList {
  const groups = [...new Set(registry.groupVersions().map((v) => v.group))].filter(
    (g) => (g === '') === legacy,
  );
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => groupDiscovery(g, registry)),
  };
}
