import { createHash } from 'node:crypto';
import type { KindInfo } from './kind-definition';
import { defaultRegistry, type KindRegistry } from './registry';

/** The discovery documents of `/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>` (legacy format). */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** Like the real server: a hash of the storage group/version/kind, 8 bytes base64. */
export const storageVersionHash = (k: KindInfo): string =>
  createHash('sha256')
    .update(`${k.group}/${k.version}/${k.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');

const gv = (group: string, version: string): string =>
  group === '' ? version : `${group}/${version}`;

/** `GET /api`: the core group's versions. */
export function apiVersions(serverAddress = '127.0.0.1:6443'): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupsOf(registry: KindRegistry): APIGroup[] {
  const groups = new Map<string, APIGroup>();
  for (const { group, version } of registry.groupVersions()) {
    if (group === '') continue;
    const v = { groupVersion: gv(group, version), version };
    const g = groups.get(group);
    if (g === undefined) groups.set(group, { name: group, versions: [v], preferredVersion: v });
    else g.versions.push(v);
  }
  return [...groups.values()];
}

/** `GET /apis`: every named group with its versions. */
export function apiGroupList(registry: KindRegistry = defaultRegistry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(registry) };
}

/** `GET /apis/<group>`: one group, undefined when not served. */
export function apiGroup(
  group: string,
  registry: KindRegistry = defaultRegistry,
): Record<string, unknown> | undefined {
  const g = groupsOf(registry).find((x) => x.name === group);
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...g };
}

function resourceEntries(k: KindInfo): APIResource[] {
  const main: APIResource = {
    name: k.resource,
    singularName: k.singular,
    namespaced: k.namespaced,
    kind: k.kind,
    verbs: [...k.verbs],
    ...(k.shortNames.length > 0 ? { shortNames: [...k.shortNames] } : {}),
    ...(k.categories.length > 0 ? { categories: [...k.categories] } : {}),
    storageVersionHash: storageVersionHash(k),
  };
  const subs = k.subresources.map((s): APIResource => ({
    name: `${k.resource}/${s.name}`,
    singularName: '',
    namespaced: k.namespaced,
    ...(s.kind === undefined ? {} : { group: s.kind.group, version: s.kind.version }),
    kind: s.kind?.kind ?? k.kind,
    verbs: [...s.verbs],
  }));
  return [main, ...subs];
}

/** `GET /api/v1` or `/apis/<g>/<v>`; undefined when the group/version is not served. */
export function apiResourceList(
  group: string,
  version: string,
  registry: KindRegistry = defaultRegistry,
): APIResourceList | undefined {
  const kinds = registry.kinds().filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv(group, version),
    resources: kinds.flatMap(resourceEntries),
  };
}
