import { openApiV2 } from '@bosun/resource-model';
import { startTestApiServer, kubectlAvailable, type TestApiServer } from './test-api-server';

const describeKubectl = kubectlAvailable() ? describe : describe.skip;
if (!kubectlAvailable()) console.warn('SKIPPED: /usr/bin/kubectl is missing');

const PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const list = (extra = '') => `
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: first, namespace: default }
    data: { a: "1" }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: second, namespace: default }
    data: { b: "2" }${extra}
`;

// kubectl validates a `kind: List` client-side with the OpenAPI v2 document, which client-go
// only reads as gnostic protobuf (the server-side field validation it uses for served kinds does
// not cover v1/List).
describeKubectl(
  'OpenAPI v2 protobuf with the real kubectl (integration: Postgres, kubectl)',
  () => {
    let api: TestApiServer;
    beforeAll(async () => {
      api = await startTestApiServer();
    }, 60_000);
    afterAll(() => api?.stop());

    it('applies a kind: List of two ConfigMaps, then finds it unchanged', async () => {
      const out = await api.kubectl(['apply', '-f', '-'], list());
      expect(out).toMatch(/configmap\/first created/);
      expect(out).toMatch(/configmap\/second created/);
      const got = JSON.parse(
        await api.kubectl(['get', 'configmaps', 'first', 'second', '-o', 'json']),
      );
      expect(got.items.map((c: { data: unknown }) => c.data)).toEqual([{ a: '1' }, { b: '2' }]);
      const again = await api.kubectl(['apply', '-f', '-'], list());
      expect(again).toMatch(/configmap\/first unchanged/);
      expect(again).toMatch(/configmap\/second unchanged/);
    });

    it("rejects a List item with an unknown field through kubectl's client-side validation", async () => {
      const bad = `\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: third, namespace: default }\n    notAField: 1`;
      await expect(api.kubectl(['apply', '-f', '-'], list(bad))).rejects.toThrow(
        /error validating data: .*unknown field "notAField"/s,
      );
      await expect(api.kubectl(['get', 'configmap', 'third'])).rejects.toThrow(
        /NotFound|not found/,
      );
    });

    it('still applies with --validate=false', async () => {
      const item = `\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: unvalidated, namespace: default }`;
      expect(await api.kubectl(['apply', '--validate=false', '-f', '-'], list(item))).toMatch(
        /configmap\/unvalidated created/,
      );
    });

    it('answers protobuf for the protobuf Accept types and the same JSON as before otherwise', async () => {
      for (const accept of [
        PROTOBUF,
        'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      ]) {
        const r = await api.request('/openapi/v2', { headers: { Accept: accept } });
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe(PROTOBUF);
        expect(r.body.startsWith('{')).toBe(false);
      }
      const json = await api.request('/openapi/v2', { headers: { Accept: 'application/json' } });
      expect(json.status).toBe(200);
      expect(json.headers['content-type']).toBe('application/json');
      expect(JSON.parse(json.body)).toEqual(openApiV2());
    });

    it('kubectl explain still reads the schema', async () => {
      const out = await api.kubectl(['explain', 'configmap.data']);
      expect(out).toMatch(/KIND:\s+ConfigMap/);
      expect(out).toMatch(/FIELD:\s+data\s+<map\[string\]string>/);
    });
  },
);
