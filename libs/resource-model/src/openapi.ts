import type { KindInfo } from './kind-definition';
import type { JsonSchema } from './json-schema';
import {
  consumesOf,
  type Operation,
  operationsOf,
  paramType,
  PRODUCES,
} from './openapi-operations';
import { defaultRegistry, type KindRegistry } from './registry';
import { closure } from './schema-registry';

/**
 * The OpenAPI documents kubectl reads: `/openapi/v2` (Swagger 2.0, every definition) and the
 * v3 index `/openapi/v3` with one OpenAPI 3.0 document per group/version. Both come from the same
 * definitions (see dts-schema-reader.ts), with `x-kubernetes-group-version-kind` on every kind.
 */
export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' } as const;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
type Gvk = { group: string; version: string; kind: string };

const gvkOf = (k: KindInfo): Gvk => ({ group: k.group, version: k.version, kind: k.kind });
const SCALE_GVK: Gvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/** Definitions every document carries beside the kinds. */
const COMMON_DEFINITIONS: Readonly<Record<string, Gvk[]>> = {
  [`${META}.Status`]: [{ group: '', version: 'v1', kind: 'Status' }],
  [`${META}.DeleteOptions`]: [{ group: '', version: 'v1', kind: 'DeleteOptions' }],
  [`${META}.WatchEvent`]: [{ group: '', version: 'v1', kind: 'WatchEvent' }],
  [`${META}.APIResourceList`]: [],
  [`${META}.Patch`]: [],
};

export function definitionsForKinds(kinds: readonly KindInfo[]): Record<string, JsonSchema> {
  const roots = [
    ...Object.keys(COMMON_DEFINITIONS),
    ...kinds.flatMap((k) => [k.schema, `${k.schema}List`]),
  ];
  if (kinds.some((k) => k.subresources.some((s) => s.name === 'scale'))) roots.push(SCALE);
  const defs = closure(roots);
  const tag = (name: string, gvks: Gvk[]) => {
    const d = defs[name];
    if (d !== undefined && gvks.length > 0)
      defs[name] = { ...d, 'x-kubernetes-group-version-kind': gvks };
  };
  for (const [name, gvks] of Object.entries(COMMON_DEFINITIONS)) tag(name, gvks);
  tag(SCALE, [SCALE_GVK]);
  for (const k of kinds) {
    tag(k.schema, [gvkOf(k)]);
    tag(`${k.schema}List`, [{ ...gvkOf(k), kind: k.listKind }]);
  }
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b)));
}

/** The scale subresource speaks autoscaling/v1 Scale; every other operation its own kind. */
export const operationGvk = (k: KindInfo, op: Operation): Gvk =>
  op.response === SCALE ? SCALE_GVK : gvkOf(k);

export const tagOf = (k: KindInfo): string =>
  k.group === '' ? `core_${k.version}` : `${k.group.split('.')[0] ?? k.group}_${k.version}`;

function v2Operation(k: KindInfo, op: Operation): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = op.query.map((q) => ({
    name: q,
    in: 'query',
    type: paramType(q),
    uniqueItems: true,
  }));
  for (const p of op.pathParams)
    parameters.push({ name: p, in: 'path', required: true, type: 'string', uniqueItems: true });
  if (op.body !== undefined)
    parameters.push({
      name: 'body',
      in: 'body',
      required: op.method !== 'delete',
      schema: { $ref: `#/definitions/${op.body}` },
    });
  return {
    description: op.description,
    consumes: consumesOf(op),
    produces: PRODUCES,
    schemes: ['https'],
    tags: [tagOf(k)],
    operationId: op.operationId,
    parameters,
    responses: {
      '200': { description: 'OK', schema: { $ref: `#/definitions/${op.response}` } },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': operationGvk(k, op),
  };
}

function pathsOf(
  kinds: readonly KindInfo[],
  render: (k: KindInfo, op: Operation) => Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const k of kinds) {
    for (const op of operationsOf(k)) (paths[op.path] ??= {})[op.method] = render(k, op);
  }
  return paths;
}

const v2Cache = new WeakMap<KindRegistry, Record<string, unknown>>();

/** `GET /openapi/v2`: one Swagger 2.0 document for every served kind. */
export function openApiV2(registry: KindRegistry = defaultRegistry): Record<string, unknown> {
  let doc = v2Cache.get(registry);
  if (doc === undefined) {
    const kinds = registry.kinds();
    doc = {
      swagger: '2.0',
      info: { ...OPENAPI_INFO },
      paths: pathsOf(kinds, v2Operation),
      definitions: definitionsForKinds(kinds),
    };
    v2Cache.set(registry, doc);
  }
  return doc;
}
