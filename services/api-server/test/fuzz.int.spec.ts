import fc from 'fast-check';
import { startTestApiServer, type TestApiServer } from './test-api-server';

const SEGMENTS = [
  'api',
  'apis',
  'v1',
  'apps',
  'namespaces',
  'default',
  'nope',
  'pods',
  'configmaps',
  'deployments',
  'status',
  'scale',
  'binding',
  'eviction',
  'x',
  '..',
  '%00',
  '%zz',
  'openapi',
  'v3',
  '',
];
const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  '',
];
const QUERY_KEYS = [
  'watch',
  'labelSelector',
  'fieldSelector',
  'limit',
  'continue',
  'resourceVersion',
  'resourceVersionMatch',
  'timeoutSeconds',
  'dryRun',
  'propagationPolicy',
  'gracePeriodSeconds',
];

// Real routes (objects named f exist), so bodies reach the handlers and not just a 404.
const REAL_PATHS = [
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/f',
  '/api/v1/namespaces/default/pods/f',
  '/api/v1/namespaces/default/pods/f/status',
  '/api/v1/namespaces/default/pods/f/binding',
  '/api/v1/namespaces/default/pods/f/eviction',
  '/apis/apps/v1/namespaces/default/deployments/f/scale',
  '/apis/apps/v1/namespaces/default/deployments',
];

const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'x'),
        kind: fc.constantFrom('ConfigMap', 'Pod', 'Deployment', 'Scale'),
        metadata: fc.record({ name: fc.string(), labels: fc.anything() }, { requiredKeys: [] }),
        spec: fc.anything(),
        data: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc
    .array(
      fc.record({
        op: fc.constantFrom('add', 'remove', 'replace', 'test', 'move', 'bogus'),
        path: fc.string(),
        value: fc.anything(),
      }),
    )
    .map((o) => JSON.stringify(o)),
  fc
    .uint8Array({ maxLength: 64 })
    .map((b) => Buffer.concat([Buffer.from('k8s\0'), Buffer.from(b)]).toString('latin1')),
);

describe('fuzzing the REST API (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer();
    const seed = async (path: string, obj: unknown) => {
      const r = await api.request(path, {
        method: 'POST',
        body: JSON.stringify(obj),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(r.status).toBe(201);
    };
    await seed('/api/v1/namespaces/default/configmaps', { metadata: { name: 'f' } });
    await seed('/api/v1/namespaces/default/pods', {
      metadata: { name: 'f' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    const tpl = {
      metadata: { labels: { a: 'f' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    };
    await seed('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'f' },
      spec: { selector: { matchLabels: { a: 'f' } }, template: tpl },
    });
  }, 60_000);
  afterAll(() => api?.stop());

  it('never answers 5xx to random methods, paths, queries and bodies, and stays alive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 7 }),
        fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 })), {
          maxLength: 3,
        }),
        fc.constantFrom(...CONTENT_TYPES),
        body,
        fc.option(fc.nat(REAL_PATHS.length - 1), { nil: undefined, freq: 1 }),
        async (method, segments, query, contentType, payload, real) => {
          // Watches stay open by design: bound them so the property finishes.
          const q = new URLSearchParams([...query, ['timeoutSeconds', '1']]).toString();
          const route = real === undefined ? `/${segments.join('/')}` : REAL_PATHS[real];
          const path = `${route}?${q}`;
          const r = await api.request(path, {
            method,
            body: method === 'GET' ? undefined : payload,
            headers: contentType ? { 'Content-Type': contentType } : {},
          });
          if (r.status >= 500)
            throw new Error(`${method} ${path} (${contentType}) -> ${r.status} ${r.body}`);
        },
      ),
      { numRuns: 800 },
    );
    expect((await api.request('/healthz')).status).toBe(200);
  }, 120_000);
});
