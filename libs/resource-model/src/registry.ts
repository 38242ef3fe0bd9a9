import { BosunError, ErrorCode } from '@bosun/common';
import type { KindDefinition, KindInfo } from './kind-definition';
import { KIND_DEFINITIONS } from './kinds';
import { registerDefinition } from './schema-registry';

const toInfo = (d: KindDefinition): KindInfo => ({
  ...d,
  apiVersion: d.group === '' ? d.version : `${d.group}/${d.version}`,
  listKind: `${d.kind}List`,
  type: { group: d.group, resource: d.resource, namespaced: d.namespaced },
  selectableFields: [
    'metadata.name',
    ...(d.namespaced ? ['metadata.namespace'] : []),
    ...d.fieldSelectors,
  ],
});

/** Splits `apps/v1` into group 'apps' and version 'v1'; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Lookups over the kind table. Immutable after construction; `defaultRegistry` holds every
 * built-in kind, tests may build a registry over their own definitions.
 */
export class KindRegistry {
  private readonly all: readonly KindInfo[];
  private readonly byGvr = new Map<string, KindInfo>();
  private readonly byGvk = new Map<string, KindInfo>();

  constructor(definitions: readonly KindDefinition[]) {
    this.all = definitions.map(toInfo);
    for (const k of this.all) {
      if (k.openAPISchema !== undefined) registerDefinition(k.schema, k.openAPISchema);
      this.byGvr.set(`${k.group}/${k.version}/${k.resource}`, k);
      this.byGvk.set(`${k.group}/${k.version}/${k.kind}`, k);
    }
  }

  kinds(): readonly KindInfo[] {
    return this.all;
  }

  /** The entry serving `/apis/<group>/<version>/<resource>`, undefined when none. */
  byResource(group: string, version: string, resource: string): KindInfo | undefined {
    return this.byGvr.get(`${group}/${version}/${resource.toLowerCase()}`);
  }

  byKind(group: string, version: string, kind: string): KindInfo | undefined {
    return this.byGvk.get(`${group}/${version}/${kind}`);
  }

  /** The entry for an object's `apiVersion` and `kind`. */
  byApiVersionKind(apiVersion: string, kind: string): KindInfo | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.byKind(group, version, kind);
  }

  /** Every entry with this shortName (e.g. `ev` names two Event kinds), core group first. */
  byShortName(shortName: string): readonly KindInfo[] {
    const s = shortName.toLowerCase();
    return this.all.filter((k) => k.shortNames.includes(s));
  }

  /**
   * Resolves what a user typed (`po`, `pods`, `pod`, `Pod`, `deployments.apps`) the way kubectl
   * does; the core group wins ties.
   */
  resolve(name: string): KindInfo | undefined {
    const dot = name.indexOf('.');
    const base = (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
    const group = dot < 0 ? undefined : name.slice(dot + 1);
    return this.all.find(
      (k) =>
        (group === undefined || k.group === group) &&
        (k.resource === base ||
          k.singular === base ||
          k.kind.toLowerCase() === base ||
          k.shortNames.includes(base)),
    );
  }

  /** Like byResource, but a missing entry is a NotFound BosunError. */
  require(group: string, version: string, resource: string): KindInfo {
    const k = this.byResource(group, version, resource);
    if (k === undefined) {
      throw new BosunError(ErrorCode.NotFound, `the server could not find the requested resource`, {
        context: { group, version, resource },
      });
    }
    return k;
  }

  /** The served group/versions in discovery order (core first, then by table order). */
  groupVersions(): readonly { group: string; version: string }[] {
    const seen = new Set<string>();
    const out: { group: string; version: string }[] = [];
    for (const k of this.all) {
      const key = `${k.group}/${k.version}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ group: k.group, version: k.version });
      }
    }
    return out;
  }
}

export const defaultRegistry = new KindRegistry(KIND_DEFINITIONS);
