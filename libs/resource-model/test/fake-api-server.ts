import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  apiVersions,
  applyDefaults,
  defaultRegistry,
  openApiV2,
  openApiV3Document,
  openApiV3Index,
  parseApiVersion,
  TABLE_CONTENT_TYPE,
  toStatus,
  toTable,
  notFound,
  validateCreate,
  validateUpdate,
  applyPatchOfType,
} from '../src';

/**
 * A read-only stand-in for the api-server HTTP layer, only to check this library's documents
 * against the real kubectl: discovery, OpenAPI, Table lists, Status errors, create validation and
 * kubectl apply's patches. It keeps objects in memory; it is not the api-server.
 */
export interface FakeApi {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  res.writeHead(code, { 'Content-Type': type });
  res.end(JSON.stringify(body));
}

function discovery(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const aggregated = (req.headers.accept ?? '').includes('as=APIGroupDiscoveryList');
  if (path === '/api' || path === '/apis') {
    if (aggregated)
      send(res, 200, aggregatedDiscovery(path === '/api'), AGGREGATED_DISCOVERY_CONTENT_TYPE);
    else send(res, 200, path === '/api' ? apiVersions() : apiGroupList());
    return true;
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (m === null) return false;
  const list =
    m[1] !== undefined ? apiResourceList('', 'v1') : apiResourceList(m[2] ?? '', m[3] ?? '');
  if (list === undefined) return false;
  send(res, 200, list);
  return true;
}

function openapi(res: ServerResponse, path: string): boolean {
  if (path === '/openapi/v2') send(res, 200, openApiV2());
  else if (path === '/openapi/v3') send(res, 200, openApiV3Index());
  else if (path.startsWith('/openapi/v3/')) {
    const doc = openApiV3Document(path);
    if (doc === undefined) return false;
    send(res, 200, doc.document);
  } else return false;
  return true;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Serves `objects` (mutated in place by POST and PATCH). */
export async function startFakeApi(objects: Record<string, unknown>[]): Promise<FakeApi> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      if (path === '/version')
        return send(res, 200, {
          major: '1',
          minor: '32',
          gitVersion: 'v1.32.0',
          platform: 'linux/amd64',
        });
      if (req.method === 'GET' && (discovery(req, res, path) || openapi(res, path))) return;
      const m =
        /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(
          path,
        );
      const kind =
        m === null ? undefined : defaultRegistry.byResource(m[1] ?? '', m[2] ?? 'v1', m[4] ?? '');
      if (m === null || kind === undefined)
        return send(res, 404, toStatus(notFound({ group: '', resource: path }, '')));
      try {
        const fieldValidation = url.searchParams.get('fieldValidation') ?? undefined;
        if (req.method === 'POST') {
          const obj = applyDefaults((await body(req)) as Record<string, unknown>);
          ((obj['metadata'] ??= {}) as Record<string, unknown>)['namespace'] ??= kind.namespaced
            ? m[3]
            : undefined;
          const outcome = validateCreate(kind, obj, { fieldValidation });
          if (outcome.warnings.length > 0)
            res.setHeader(
              'Warning',
              outcome.warnings.map((w) => `299 - "${w}"`),
            );
          objects.push(obj);
          return send(res, 201, obj);
        }
        const items = objects.filter((o) => {
          const { group } = parseApiVersion(String(o['apiVersion']));
          return group === kind.group && o['kind'] === kind.kind;
        });
        const name = m[5];
        const index = objects.findIndex(
          (o) => items.includes(o) && (o['metadata'] as Record<string, unknown>)['name'] === name,
        );
        const current = objects[index];
        if (name !== undefined && current === undefined)
          return send(res, 404, toStatus(notFound(kind, name)));
        if (req.method === 'PATCH' && current !== undefined) {
          const patch = await body(req);
          const patched = applyPatchOfType(
            req.headers['content-type'] ?? '',
            current,
            patch,
            kind.schema,
            kind.kind,
          );
          validateUpdate(kind, patched, current, { fieldValidation });
          objects[index] = patched;
          return send(res, 200, patched);
        }
        const table = (req.headers.accept ?? '').includes('as=Table');
        const listed = current === undefined ? items : [current];
        if (table)
          return send(
            res,
            200,
            toTable(kind, listed, { resourceVersion: '1' }),
            TABLE_CONTENT_TYPE,
          );
        if (current !== undefined) return send(res, 200, current);
        return send(res, 200, {
          kind: kind.listKind,
          apiVersion: kind.apiVersion,
          metadata: { resourceVersion: '1' },
          items,
        });
      } catch (e) {
        const status = toStatus(e);
        return send(res, status.code, status);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
