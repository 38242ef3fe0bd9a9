import { createHash } from 'node:crypto';
import type { KindInfo } from './kind-definition';
import type { JsonSchema } from './json-schema';
import {
  consumesOf,
  type Operation,
  operationsOf,
  paramType,
  PRODUCES,
} from './openapi-operations';
import { definitionsForKinds, operationGvk, OPENAPI_INFO, tagOf } from './openapi';
import { defaultRegistry, type KindRegistry } from './registry';

/**
 * OpenAPI v3: `/openapi/v3` lists one document per group/version (`api/v1`, `apis/apps/v1`);
 * each holds that group/version's paths and every schema they reach, refs under
 * `#/components/schemas/`. kubectl 1.32's `explain` reads these.
 */
const V3_REF = '#/components/schemas/';

/** v2 refs to v3 refs; a ref beside a description becomes `allOf`, as the real server writes it. */
function toV3Schema(s: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') continue;
    if (k === 'properties' && v !== undefined) {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, JsonSchema>).map(([p, ps]) => [p, toV3Schema(ps)]),
      );
    } else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object') {
      out[k] = toV3Schema(v as JsonSchema);
    } else out[k] = v;
  }
  if (s.$ref !== undefined) {
    const ref = V3_REF + s.$ref.slice(s.$ref.lastIndexOf('/') + 1);
    if (Object.keys(out).length === 0) return { $ref: ref };
    return { ...out, allOf: [{ $ref: ref }] };
  }
  return out;
}

function v3Operation(k: KindInfo, op: Operation): Record<string, unknown> {
  const param = (name: string, where: 'query' | 'path') => ({
    name,
    in: where,
    ...(where === 'path' ? { required: true } : {}),
    schema: { type: paramType(name), uniqueItems: true },
  });
  const content = (schema: string, types: readonly string[]) =>
    Object.fromEntries(types.map((t) => [t, { schema: { $ref: V3_REF + schema } }]));
  return {
    tags: [tagOf(k)],
    description: op.description,
    operationId: op.operationId,
    parameters: [
      ...op.pathParams.map((p) => param(p, 'path')),
      ...op.query.map((q) => param(q, 'query')),
    ],
    ...(op.body === undefined
      ? {}
      : {
          requestBody: {
            content: content(op.body, consumesOf(op)),
            required: op.method !== 'delete',
          },
        }),
    responses: {
      '200': { description: 'OK', content: content(op.response, PRODUCES) },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': operationGvk(k, op),
  };
}

const gvPath = (group: string, version: string): string =>
  group === '' ? `api/${version}` : `apis/${group}/${version}`;

function buildV3(kinds: readonly KindInfo[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const k of kinds)
    for (const op of operationsOf(k)) (paths[op.path] ??= {})[op.method] = v3Operation(k, op);
  const schemas = Object.fromEntries(
    Object.entries(definitionsForKinds(kinds)).map(([n, s]) => [n, toV3Schema(s)]),
  );
  return { openapi: '3.0.0', info: { ...OPENAPI_INFO }, paths, components: { schemas } };
}

interface V3Cache {
  docs: Map<string, Record<string, unknown>>;
  hashes: Map<string, string>;
}
const cache = new WeakMap<KindRegistry, V3Cache>();

function v3Of(registry: KindRegistry): V3Cache {
  let c = cache.get(registry);
  if (c === undefined) {
    c = { docs: new Map(), hashes: new Map() };
    for (const { group, version } of registry.groupVersions()) {
      const doc = buildV3(
        registry.kinds().filter((k) => k.group === group && k.version === version),
      );
      const key = gvPath(group, version);
      c.docs.set(key, doc);
      c.hashes.set(
        key,
        createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase(),
      );
    }
    cache.set(registry, c);
  }
  return c;
}

/** `GET /openapi/v3`: the index of group/version documents with their content hashes. */
export function openApiV3Index(registry: KindRegistry = defaultRegistry): {
  paths: Record<string, { serverRelativeURL: string }>;
} {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, hash] of v3Of(registry).hashes)
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths };
}

/**
 * `GET /openapi/v3/<path>` for `api/v1` or `apis/<group>/<version>`; undefined when not served.
 * The hash lets the HTTP layer answer `ETag` and cache headers.
 */
export function openApiV3Document(
  path: string,
  registry: KindRegistry = defaultRegistry,
): { document: Record<string, unknown>; hash: string } | undefined {
  const key =
    path
      .replace(/^\/+/, '')
      .replace(/^openapi\/v3\//, '')
      .split('?')[0] ?? '';
  const c = v3Of(registry);
  const document = c.docs.get(key);
  const hash = c.hashes.get(key);
  return document === undefined || hash === undefined ? undefined : { document, hash };
}
