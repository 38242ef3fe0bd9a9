import { startTestApiServer, type TestApiServer } from './test-api-server';

const CMS = '/api/v1/namespaces/default/configmaps';

/** `{"a":{"a":…{}…}}` nested `depth` levels under `key` of a ConfigMap. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

describe('resource limits (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer();
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('JSON nesting depth', () => {
    const bodies: [string, string, string, string][] = [
      [
        'POST',
        CMS,
        'application/json',
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${nested(100_000)}}`,
      ],
      ['PATCH', `${CMS}/deep`, 'application/merge-patch+json', `{"x":${nested(100_000)}}`],
      [
        'PATCH',
        `${CMS}/deep`,
        'application/strategic-merge-patch+json',
        `{"data":${nested(100_000)}}`,
      ],
      [
        'PATCH',
        `${CMS}/deep`,
        'application/json-patch+json',
        `[{"op":"add","path":"/x","value":${nested(100_000)}}]`,
      ],
      [
        'POST',
        CMS,
        'application/yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deepy}\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      ],
    ];
    it.each(bodies)(
      '%s %s (%s) nested past the limit answers 400, not a crash',
      async (method, path, type, body) => {
        if (method === 'PATCH')
          await api.request(CMS, {
            method: 'POST',
            body: JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'deep' },
            }),
            headers: { 'Content-Type': 'application/json' },
          });
        const r = await api.request(path, { method, body, headers: { 'Content-Type': type } });
        expect(r.status).toBe(400);
        expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
        expect(JSON.parse(r.body).message).toMatch(/nest/);
      },
    );

    it('serves a body nested right up to the limit without a 5xx anywhere later', async () => {
      // 1 level for the object, 999 for x: exactly MAX_JSON_DEPTH.
      const r = await api.request(`${CMS}?fieldValidation=Ignore`, {
        method: 'POST',
        body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok-depth"},"x":${nested(998)}}`,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(r.status).toBe(201);
      for (const type of [
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]) {
        const p = await api.request(`${CMS}/ok-depth`, {
          method: 'PATCH',
          body: `{"metadata":{"labels":${nested(997)}}}`,
          headers: { 'Content-Type': type },
        });
        expect(p.status).toBeGreaterThanOrEqual(400);
        expect(p.status).toBeLessThan(500);
      }
      const j = await api.request(`${CMS}/ok-depth`, {
        method: 'PATCH',
        body: `[{"op":"add","path":"/data","value":${nested(997)}}]`,
        headers: { 'Content-Type': 'application/json-patch+json' },
      });
      expect(j.status).toBeGreaterThanOrEqual(400);
      expect(j.status).toBeLessThan(500);
    });
  });
});
