import type { KindInfo } from './kind-definition';

/**
 * The REST operations of a kind, in a form both OpenAPI documents are built from. kubectl reads
 * them: it sends `fieldValidation=Strict` only when the create/update/patch operations of the
 * kind (found through `x-kubernetes-group-version-kind`) declare that query parameter.
 */
export interface Operation {
  readonly path: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly action:
    'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch';
  readonly operationId: string;
  readonly description: string;
  readonly query: readonly string[];
  /** Definition of the request body, if any (`patch` takes `Patch`). */
  readonly body?: string;
  /** Definition of the 200 response. */
  readonly response: string;
  readonly pathParams: readonly string[];
}

const WRITE_QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'] as const;
const LIST_QUERY = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'pretty',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
] as const;
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function opId(verb: string, k: KindInfo, namespaced: boolean, suffix = ''): string {
  const gv =
    k.group === ''
      ? `Core${pascal(k.version)}`
      : `${k.group.split('.')[0]?.replace(/^./, (c) => c.toUpperCase())}${pascal(k.version)}`;
  return `${verb}${gv}${namespaced ? 'Namespaced' : ''}${k.kind}${suffix}`;
}

/** Every operation of a kind: collection, item, and the status/scale subresources. */
export function operationsOf(k: KindInfo): Operation[] {
  const prefix = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
  const ns = k.namespaced ? '/namespaces/{namespace}' : '';
  const nsParams = k.namespaced ? ['namespace'] : [];
  const collection = `${prefix}${ns}/${k.resource}`;
  const item = `${collection}/{name}`;
  const ops: Operation[] = [
    {
      path: collection,
      method: 'get',
      action: 'list',
      operationId: opId('list', k, k.namespaced),
      description: `list or watch objects of kind ${k.kind}`,
      query: LIST_QUERY,
      response: k.schema + 'List',
      pathParams: nsParams,
    },
    {
      path: collection,
      method: 'post',
      action: 'post',
      operationId: opId('create', k, k.namespaced),
      description: `create a ${k.kind}`,
      query: WRITE_QUERY,
      body: k.schema,
      response: k.schema,
      pathParams: nsParams,
    },
    {
      path: collection,
      method: 'delete',
      action: 'deletecollection',
      operationId: opId('deleteCollection', k, k.namespaced),
      description: `delete collection of ${k.kind}`,
      query: [...LIST_QUERY, 'dryRun', 'gracePeriodSeconds', 'propagationPolicy'],
      body: `${META}.DeleteOptions`,
      response: `${META}.Status`,
      pathParams: nsParams,
    },
    {
      path: item,
      method: 'get',
      action: 'get',
      operationId: opId('read', k, k.namespaced),
      description: `read the specified ${k.kind}`,
      query: ['pretty'],
      response: k.schema,
      pathParams: ['name', ...nsParams],
    },
    {
      path: item,
      method: 'put',
      action: 'put',
      operationId: opId('replace', k, k.namespaced),
      description: `replace the specified ${k.kind}`,
      query: WRITE_QUERY,
      body: k.schema,
      response: k.schema,
      pathParams: ['name', ...nsParams],
    },
    {
      path: item,
      method: 'patch',
      action: 'patch',
      operationId: opId('patch', k, k.namespaced),
      description: `partially update the specified ${k.kind}`,
      query: [...WRITE_QUERY, 'force'],
      body: `${META}.Patch`,
      response: k.schema,
      pathParams: ['name', ...nsParams],
    },
    {
      path: item,
      method: 'delete',
      action: 'delete',
      operationId: opId('delete', k, k.namespaced),
      description: `delete a ${k.kind}`,
      query: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy', 'pretty'],
      body: `${META}.DeleteOptions`,
      response: `${META}.Status`,
      pathParams: ['name', ...nsParams],
    },
  ];
  if (k.namespaced) {
    ops.push({
      path: `${prefix}/${k.resource}`,
      method: 'get',
      action: 'list',
      operationId: opId('list', k, false, 'ForAllNamespaces'),
      description: `list or watch objects of kind ${k.kind}`,
      query: LIST_QUERY,
      response: k.schema + 'List',
      pathParams: [],
    });
  }
  for (const sub of k.subresources.filter((s) => s.name === 'status' || s.name === 'scale')) {
    const schema = sub.name === 'scale' ? 'io.k8s.api.autoscaling.v1.Scale' : k.schema;
    const suffix = pascal(sub.name);
    const path = `${item}/${sub.name}`;
    const pathParams = ['name', ...nsParams];
    ops.push(
      {
        path,
        method: 'get',
        action: 'get',
        operationId: opId('read', k, k.namespaced, suffix),
        description: `read ${sub.name} of the specified ${k.kind}`,
        query: ['pretty'],
        response: schema,
        pathParams,
      },
      {
        path,
        method: 'put',
        action: 'put',
        operationId: opId('replace', k, k.namespaced, suffix),
        description: `replace ${sub.name} of the specified ${k.kind}`,
        query: WRITE_QUERY,
        body: schema,
        response: schema,
        pathParams,
      },
      {
        path,
        method: 'patch',
        action: 'patch',
        operationId: opId('patch', k, k.namespaced, suffix),
        description: `partially update ${sub.name} of the specified ${k.kind}`,
        query: [...WRITE_QUERY, 'force'],
        body: `${META}.Patch`,
        response: schema,
        pathParams,
      },
    );
  }
  return ops;
}

/** The content types a body of this operation may come in. */
export const consumesOf = (op: Operation): string[] =>
  op.method === 'patch'
    ? [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
      ]
    : ['*/*'];

export const PRODUCES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
];

const INTEGER_PARAMS = new Set(['limit', 'timeoutSeconds', 'gracePeriodSeconds']);
const BOOLEAN_PARAMS = new Set(['watch', 'allowWatchBookmarks', 'force', 'sendInitialEvents']);

/** The OpenAPI type of a query or path parameter. */
export const paramType = (name: string): 'integer' | 'boolean' | 'string' =>
  INTEGER_PARAMS.has(name) ? 'integer' : BOOLEAN_PARAMS.has(name) ? 'boolean' : 'string';
