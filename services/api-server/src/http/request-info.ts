/** What a request addresses, parsed from its path and method as Kubernetes' RequestInfo. */
export interface RequestInfo {
  readonly isResource: boolean;
  readonly path: string;
  readonly verb: string;
  readonly apiPrefix?: 'api' | 'apis';
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
  /** Path segments after the version, kept for routes that are not resources (`/apis/g`). */
  readonly rest: readonly string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, watch: boolean): RequestInfo {
  const parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(safeDecode);
  const base = {
    path,
    group: '',
    version: '',
    namespace: '',
    resource: '',
    name: '',
    subresource: '',
  };
  const nonResource = { ...base, isResource: false, verb: method.toLowerCase(), rest: parts };
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource;
  }
  let namespace = '';
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
  }
  if (rest.length > 3) return { ...nonResource, apiPrefix: parts[0] as 'api' | 'apis' };
  const [resource, name = '', subresource = ''] = rest;
  return {
    ...base,
    isResource: true,
    apiPrefix: parts[0] as 'api' | 'apis',
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    rest,
    verb: verbOf(method, name !== '', watch),
  };
}

function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
