/**
 * Resolving what a user types for a resource type (`deploy`, `deployment`, `deployments`,
 * `deployments.apps`, `deployments.v1.apps`, `Deployment`, `cm`) against the API's discovery,
 * the way kubectl's RESTMapper and short-name expander do.
 */

/** One top-level resource from discovery (subresources left out). */
export interface ApiResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
}

/** `<type>/<name>` or `<type> <name>` as kubectl takes them. */
export interface ObjectArg {
  readonly type: string;
  readonly name: string;
}

export class UnknownResourceTypeError extends Error {
  override readonly name = 'UnknownResourceTypeError';
  constructor(readonly type: string) {
    super(`the server doesn't have a resource type "${type}"`);
  }
}

/** Splits `deploy/web` (or the two words `deploy web`); undefined when neither form fits. */
export function parseObjectArg(args: readonly string[]): ObjectArg | undefined {
  if (args.length === 1) {
    const slash = args[0].indexOf('/');
    if (slash <= 0 || slash === args[0].length - 1) return undefined;
    const name = args[0].slice(slash + 1);
    if (name.includes('/')) return undefined;
    return { type: args[0].slice(0, slash), name };
  }
  if (args.length === 2 && !args[0].includes('/') && !args[1].includes('/') && args[1] !== '') {
    return args[0] === '' ? undefined : { type: args[0], name: args[1] };
  }
  return undefined;
}

const names = (r: ApiResourceInfo): string[] => [
  r.resource,
  r.singular,
  r.kind.toLowerCase(),
  ...r.shortNames.map((s) => s.toLowerCase()),
];

/**
 * The resource `type` names. With a suffix (`deployments.apps`, `deployments.v1.apps`) only that
 * group (and version) counts; several groups serving the same name resolve to the first in
 * discovery order, where the core group comes first — kubectl's priority.
 */
export function resolveResourceType(
  type: string,
  resources: readonly ApiResourceInfo[],
): ApiResourceInfo {
  const lower = type.toLowerCase();
  const candidates: { name: string; version?: string; group?: string }[] = [{ name: lower }];
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const name = lower.slice(0, dot);
    const rest = lower.slice(dot + 1);
    candidates.push({ name, group: rest });
    const vdot = rest.indexOf('.');
    if (vdot > 0)
      candidates.push({ name, version: rest.slice(0, vdot), group: rest.slice(vdot + 1) });
  }
  for (const c of candidates) {
    const hit = resources.find(
      (r) =>
        (c.group === undefined || r.group === c.group) &&
        (c.version === undefined || r.version === c.version) &&
        names(r).includes(c.name),
    );
    if (hit) return hit;
  }
  throw new UnknownResourceTypeError(type);
}

interface DiscoveredResource {
  name?: unknown;
  singularName?: unknown;
  kind?: unknown;
  namespaced?: unknown;
  shortNames?: unknown;
}

/** The top-level resources of one APIResourceList (`/api/v1`, `/apis/<g>/<v>`). */
export function resourcesOf(group: string, version: string, list: unknown): ApiResourceInfo[] {
  const items = (list as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(items)) return [];
  return (items as DiscoveredResource[]).flatMap((r) => {
    if (typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string') return [];
    return [
      {
        group,
        version,
        resource: r.name,
        singular:
          typeof r.singularName === 'string' && r.singularName !== ''
            ? r.singularName
            : r.kind.toLowerCase(),
        kind: r.kind,
        namespaced: r.namespaced === true,
        shortNames: Array.isArray(r.shortNames)
          ? r.shortNames.filter((s): s is string => typeof s === 'string')
          : [],
      },
    ];
  });
}

/** A GET of a JSON document from the API (the discovery endpoints). */
export type GetJson = (path: string) => Promise<unknown>;

/** Discovery as kubectl reads it: `/api/v1`, then each group's preferred version from `/apis`. */
export async function discoverResources(get: GetJson): Promise<ApiResourceInfo[]> {
  const groups = ((await get('/apis')) as { groups?: unknown }).groups;
  const versions = (Array.isArray(groups) ? groups : []).flatMap((g: unknown) => {
    const group = g as { name?: unknown; preferredVersion?: { version?: unknown } };
    const version = group.preferredVersion?.version;
    return typeof group.name === 'string' && typeof version === 'string'
      ? [{ group: group.name, version }]
      : [];
  });
  const lists = await Promise.all([
    get('/api/v1').then((l) => resourcesOf('', 'v1', l)),
    ...versions.map(({ group, version }) =>
      get(`/apis/${group}/${version}`).then((l) => resourcesOf(group, version, l)),
    ),
  ]);
  return lists.flat();
}
