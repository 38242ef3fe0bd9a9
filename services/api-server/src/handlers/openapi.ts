import { createHash } from 'node:crypto';
import type { KindInfo, KindRegistry } from '@bosun/resource-model';

/**
 * Minimal OpenAPI v2/v3 documents: every kind with its group-version-kind, open (preserve unknown
 * fields) schemas, and the operations with the `fieldValidation` and `dryRun` parameters kubectl
 * probes for to decide that the server validates. Full upstream schemas belong to resource-model.
 */
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const gvkOf = (k: KindInfo) => [{ group: k.group, version: k.version, kind: k.kind }];

function kindSchema(k: KindInfo, ref: (name: string) => string): Record<string, unknown> {
  const open = (description: string) => ({
    type: 'object',
    description,
    'x-kubernetes-preserve-unknown-fields': true,
  });
  return {
    type: 'object',
    description: `${k.kind} (${k.apiVersion}) as served by Bosun.`,
    'x-kubernetes-group-version-kind': gvkOf(k),
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: { description: "Standard object's metadata.", allOf: [{ $ref: ref(OBJECT_META) }] },
      spec: open(`Specification of the desired behavior of the ${k.kind}.`),
      status: open(`Most recently observed status of the ${k.kind}.`),
    },
  };
}

const objectMetaSchema = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have.',
  'x-kubernetes-preserve-unknown-fields': true,
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    namespace: {
      type: 'string',
      description: 'Namespace defines the space within which each name must be unique.',
    },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Map of string keys and values.',
    },
    annotations: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Annotations.',
    },
  },
};

const QUERY_PARAMS = ['fieldValidation', 'dryRun', 'fieldManager', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
  type: 'string',
}));

function operations(k: KindInfo): Record<string, Record<string, unknown>> {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const coll = `${base}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
  const op = (action: string) => ({
    operationId: `${action}${k.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind },
    parameters: QUERY_PARAMS,
    responses: { '200': { description: 'OK' } },
  });
  return {
    [coll]: { get: op('list'), post: op('post'), delete: op('deletecollection') },
    [`${coll}/{name}`]: {
      get: op('get'),
      put: op('put'),
      patch: op('patch'),
      delete: op('delete'),
    },
  };
}

export function openApiV2(registry: KindRegistry): unknown {
  const ref = (n: string) => `#/definitions/${n}`;
  const definitions: Record<string, unknown> = { [OBJECT_META]: objectMetaSchema };
  const paths: Record<string, unknown> = {};
  for (const k of registry.kinds()) {
    definitions[k.schema] = kindSchema(k, ref);
    Object.assign(paths, operations(k));
  }
  return { swagger: '2.0', info: { title: 'Bosun', version: 'v1.32.0' }, paths, definitions };
}

export function openApiV3Doc(registry: KindRegistry, group: string, version: string): unknown {
  const kinds = registry.kinds().filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const ref = (n: string) => `#/components/schemas/${n}`;
  const schemas: Record<string, unknown> = { [OBJECT_META]: objectMetaSchema };
  const paths: Record<string, unknown> = {};
  for (const k of kinds) {
    schemas[k.schema] = kindSchema(k, ref);
    Object.assign(paths, operations(k));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Bosun', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

export function openApiV3Root(registry: KindRegistry): unknown {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of registry.groupVersions()) {
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    const hash = createHash('sha256')
      .update(JSON.stringify(openApiV3Doc(registry, group, version)))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
