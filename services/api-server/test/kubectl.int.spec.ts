import { startTestApiServer, kubectlAvailable, type TestApiServer } from './test-api-server';
import { waitFor } from '@bosun/testing';

const describeKubectl = kubectlAvailable() ? describe : describe.skip;

const deployment = (replicas: number, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web, tier: front }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 80 }]
`;

describeKubectl('api-server with the real kubectl (integration: Postgres, kubectl)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ bookmarkIntervalMs: 200 });
  }, 60_000);
  afterAll(() => api?.stop());
  const k = (...args: string[]) => api.kubectl(args);

  it('answers kubectl version and api-resources', async () => {
    const out = await k('version', '-o', 'json');
    expect(JSON.parse(out).serverVersion.gitVersion).toMatch(/^v1\.32/);
    const res = await k('api-resources');
    expect(res).toMatch(/pods\s+po\s+v1\s+true\s+Pod/);
    expect(res).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });

  it('creates a namespace, configmap, generic secret, deployment, service and service account (protobuf bodies)', async () => {
    await k('create', 'namespace', 'demo');
    expect(await k('get', 'namespace', 'demo')).toMatch(/demo\s+Active/);
    await k('-n', 'demo', 'create', 'configmap', 'cfg', '--from-literal=a=1');
    const cm = JSON.parse(await k('-n', 'demo', 'get', 'configmap', 'cfg', '-o', 'json'));
    expect(cm.data).toEqual({ a: '1' });
    expect(await k('-n', 'demo', 'get', 'configmaps')).toMatch(/cfg\s+1\s+\d+s/);
    await k('-n', 'demo', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret');
    await k(
      '-n',
      'demo',
      'create',
      'deployment',
      'made',
      '--image=nginx:1.27',
      '--port=8080',
      '--replicas=2',
    );
    const made = JSON.parse(await k('-n', 'demo', 'get', 'deployment', 'made', '-o', 'json'));
    expect(made.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'made' } } });
    expect(made.spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080 }],
    });
    await k('-n', 'demo', 'create', 'service', 'clusterip', 'svc', '--tcp=80:8080');
    const svc = JSON.parse(await k('-n', 'demo', 'get', 'service', 'svc', '-o', 'json'));
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP' });
    await k('-n', 'demo', 'create', 'serviceaccount', 'robot');
    const secret = JSON.parse(await k('-n', 'demo', 'get', 'secret', 'pw', '-o', 'json'));
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cret');
  });

  it('applies a deployment, re-applies a change, and gets it as yaml, json, wide and by label', async () => {
    expect(await api.kubectl(['apply', '-f', '-'], deployment(2, 'nginx:1.25'))).toMatch(
      /deployment.apps\/web created/,
    );
    expect(await api.kubectl(['apply', '-f', '-'], deployment(2, 'nginx:1.25'))).toMatch(
      /unchanged/,
    );
    expect(await api.kubectl(['apply', '-f', '-'], deployment(3, 'nginx:1.26'))).toMatch(
      /configured/,
    );
    const d = JSON.parse(await k('get', 'deployment', 'web', '-o', 'json'));
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.metadata.generation).toBe(2);
    expect(await k('get', 'deploy', 'web', '-o', 'yaml')).toMatch(/image: nginx:1.26/);
    expect(await k('get', 'deployments', '-o', 'wide')).toMatch(/^web\s+0\/3/m);
    expect(await k('get', 'deployments', '-l', 'tier=front', '-o', 'name')).toBe(
      'deployment.apps/web\n',
    );
    expect(await k('get', 'deployments', '-l', 'tier=back', '-o', 'name')).toBe('');
  });

  it('scales, labels and annotates, and describes the result', async () => {
    await k('scale', 'deployment', 'web', '--replicas=5');
    await k('label', 'deployment', 'web', 'env=prod');
    await k('annotate', 'deployment', 'web', 'owner=team-a');
    const d = JSON.parse(await k('get', 'deployment', 'web', '-o', 'json'));
    expect(d.spec.replicas).toBe(5);
    expect(d.metadata.labels.env).toBe('prod');
    expect(d.metadata.annotations.owner).toBe('team-a');
    const described = await k('describe', 'deployment', 'web');
    expect(described).toMatch(/Name:\s+web/);
    expect(described).toMatch(/env=prod/);
  });

  it('streams changes with get -w', async () => {
    await k('create', 'configmap', 'watched', '--from-literal=x=1');
    const child = api.spawnKubectl(['get', 'configmaps', '-w', '--output-watch-events']);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => out.includes('watched'), { what: 'initial ADDED line' });
      await k('label', 'configmap', 'watched', 'seen=yes');
      await waitFor(() => /MODIFIED\s+watched/.test(out), { what: 'MODIFIED line' });
    } finally {
      child.kill();
    }
  });

  it('waits for a condition set through the status subresource', async () => {
    await api.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: Pod\nmetadata: { name: p1 }\nspec: { containers: [{ name: c, image: busybox }] }\n`,
    );
    const waiting = k('wait', '--for=condition=Ready', 'pod/p1', '--timeout=30s');
    const patch = JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const r = await api.request('/api/v1/namespaces/default/pods/p1/status', {
      method: 'PATCH',
      body: patch,
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(r.status).toBe(200);
    expect(await waiting).toMatch(/pod\/p1 condition met/);
  });

  it('explains pod.spec from the OpenAPI document', async () => {
    const out = await k('explain', 'pod.spec');
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/containers\s+<\[\]Container> -required-/);
  });

  it("rejects unknown fields under kubectl's default strict validation", async () => {
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: strict }\nnotAField: 1\n`;
    await expect(api.kubectl(['apply', '-f', '-'], bad)).rejects.toThrow(
      /unknown field "notAField"/,
    );
  });

  it('deletes objects; an object with a finalizer waits for it', async () => {
    await k('delete', 'configmap', 'watched');
    await expect(k('get', 'configmap', 'watched')).rejects.toThrow(/NotFound/);
    await api.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: held, finalizers: [example.com/hold] }\n`,
    );
    await k('delete', 'configmap', 'held', '--wait=false');
    const held = JSON.parse(await k('get', 'configmap', 'held', '-o', 'json'));
    expect(held.metadata.deletionTimestamp).toBeDefined();
    await k('patch', 'configmap', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    await expect(k('get', 'configmap', 'held')).rejects.toThrow(/NotFound/);
  });
});
