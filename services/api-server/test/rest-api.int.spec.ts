import { request as httpsRequest } from 'node:https';
import type { Authorizer } from '../src/auth/authorizer';
import { startTestApiServer, type TestApiServer } from './test-api-server';

const JSON_CT = { 'Content-Type': 'application/json' };

describe('Kubernetes REST semantics over HTTPS (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ bookmarkIntervalMs: 100 });
  }, 60_000);
  afterAll(() => api?.stop());

  const post = (path: string, body: unknown, headers: Record<string, string> = JSON_CT) =>
    api.request(path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers,
    });
  const json = (r: { body: string }) => JSON.parse(r.body);
  const cm = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...extra },
    data: { k: 'v' },
  });
  const CMS = '/api/v1/namespaces/default/configmaps';

  it('answers 401 with a Status without a token or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer wrong', 'Basic abc']) {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          `${api.url}/api/v1/namespaces`,
          { ca: api.caCertPem, headers: auth ? { Authorization: auth } : {} },
          (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('serves discovery, aggregated discovery and OpenAPI', async () => {
    expect(json(await api.request('/api')).versions).toEqual(['v1']);
    const agg = await api.request('/apis', {
      headers: {
        Accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(agg.headers['content-type']).toContain('as=APIGroupDiscoveryList');
    expect(json(agg).items.map((g: { metadata: { name: string } }) => g.metadata.name)).toContain(
      'apps',
    );
    const apps = json(await api.request('/apis/apps/v1'));
    expect(apps.resources.map((r: { name: string }) => r.name)).toContain('deployments/scale');
    expect(json(await api.request('/openapi/v3')).paths['api/v1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/api\/v1\?hash=/,
    );
    expect(
      json(await api.request('/openapi/v2')).definitions['io.k8s.api.core.v1.Pod'],
    ).toBeDefined();
  });

  it('creates with generateName and dryRun, and rejects bad input with 4xx Statuses', async () => {
    const gen = await post(CMS, { ...cm(''), metadata: { generateName: 'gen-' } });
    expect(gen.status).toBe(201);
    expect(json(gen).metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const dry = await post(`${CMS}?dryRun=All`, cm('dry'));
    expect(dry.status).toBe(201);
    expect((await api.request(`${CMS}/dry`)).status).toBe(404);
    expect(json(await post(CMS, cm('Bad_Name')))).toMatchObject({ reason: 'Invalid', code: 422 });
    expect((await post(CMS, '{not json')).status).toBe(400);
    expect((await post(CMS, cm('x'), { 'Content-Type': 'text/csv' })).status).toBe(415);
    expect((await post(CMS, { ...cm('x'), kind: 'Secret' })).status).toBe(400);
    expect((await post('/api/v1/namespaces/nope/configmaps', cm('x'))).status).toBe(404);
    expect((await post(CMS, 'x'.repeat(4 * 1024 * 1024))).status).toBe(413);
    expect((await api.request('/api/v1/widgets')).status).toBe(404);
    expect(
      (
        await api.request('/api/v1/namespaces/default/configmaps/x', {
          method: 'POST',
          body: '{}',
          headers: JSON_CT,
        })
      ).status,
    ).toBe(405);
    expect((await post(CMS, cm('dup'))).status).toBe(201);
    expect(json(await post(CMS, cm('dup')))).toMatchObject({ reason: 'AlreadyExists', code: 409 });
  });

  it('refuses content in a namespace once this server deleted it', async () => {
    expect((await post('/api/v1/namespaces', { metadata: { name: 'gone' } })).status).toBe(201);
    expect((await post('/api/v1/namespaces/gone/configmaps', cm('a'))).status).toBe(201);
    expect((await api.request('/api/v1/namespaces/gone', { method: 'DELETE' })).status).toBe(200);
    // Terminating (spec.finalizers ["kubernetes"]) until the namespace controller finalizes it.
    expect(json(await post('/api/v1/namespaces/gone/configmaps', cm('b')))).toMatchObject({
      code: 403,
      message: 'unable to create new content in namespace gone because it is being terminated',
    });
  });

  it('accepts YAML bodies and answers 415 for server-side apply', async () => {
    const r = await post(
      CMS,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n',
      { 'Content-Type': 'application/yaml' },
    );
    expect(r.status).toBe(201);
    const apply = await api.request(`${CMS}/from-yaml?fieldManager=x`, {
      method: 'PATCH',
      body: 'data: {a: c}',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(apply.status).toBe(415);
    expect(json(apply).message).toMatch(/server-side apply/);
  });

  it('updates with a resourceVersion precondition: a stale one is a 409', async () => {
    const created = json(await post(CMS, cm('rv')));
    const put = (rv: string, v: string) =>
      api.request(`${CMS}/rv`, {
        method: 'PUT',
        body: JSON.stringify({ ...cm('rv', { resourceVersion: rv }), data: { k: v } }),
        headers: JSON_CT,
      });
    const ok = await put(created.metadata.resourceVersion, 'v2');
    expect(ok.status).toBe(200);
    expect(json(await put(created.metadata.resourceVersion, 'v3'))).toMatchObject({
      reason: 'Conflict',
      code: 409,
    });
  });

  it('patches with JSON patch, merge patch and strategic merge patch', async () => {
    await post(CMS, cm('p'));
    const patch = (type: string, body: unknown) =>
      api.request(`${CMS}/p`, {
        method: 'PATCH',
        body: JSON.stringify(body),
        headers: { 'Content-Type': type },
      });
    expect(
      json(await patch('application/json-patch+json', [{ op: 'add', path: '/data/j', value: '1' }]))
        .data,
    ).toEqual({ k: 'v', j: '1' });
    expect(json(await patch('application/merge-patch+json', { data: { k: null } })).data).toEqual({
      j: '1',
    });
    expect(
      json(
        await patch('application/strategic-merge-patch+json', { metadata: { labels: { s: 'y' } } }),
      ).metadata.labels,
    ).toEqual({ s: 'y' });
    expect(
      (await patch('application/json-patch+json', [{ op: 'remove', path: '/nope/x' }])).status,
    ).toBe(422);
  });

  it('bumps generation on spec changes only, and status writes touch only status', async () => {
    const D = '/apis/apps/v1/namespaces/default/deployments';
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'g' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { a: 'g' } },
        template: {
          metadata: { labels: { a: 'g' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    expect(json(await post(D, dep)).metadata.generation).toBe(1);
    const merge = (path: string, body: unknown) =>
      api.request(path, {
        method: 'PATCH',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    expect(
      json(await merge(`${D}/g`, { metadata: { labels: { x: 'y' } } })).metadata.generation,
    ).toBe(1);
    const st = json(
      await merge(`${D}/g/status`, {
        status: { observedGeneration: 1, replicas: 1 },
        spec: { replicas: 9 },
      }),
    );
    expect(st.status.replicas).toBe(1);
    expect(st.spec.replicas).toBe(1);
    expect(st.metadata.generation).toBe(1);
    const main = json(await merge(`${D}/g`, { spec: { replicas: 2 }, status: { replicas: 7 } }));
    expect(main.metadata.generation).toBe(2);
    expect(main.status.replicas).toBe(1);
    const scale = json(await api.request(`${D}/g/scale`));
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { selector: 'a=g' },
    });
  });

  it('lists with label and field selectors, limit and continue', async () => {
    for (let i = 0; i < 5; i++)
      await post(CMS, {
        ...cm(`page-${i}`),
        metadata: { name: `page-${i}`, labels: { page: 'yes', i: String(i) } },
      });
    const first = json(await api.request(`${CMS}?labelSelector=page%3Dyes&limit=2`));
    expect(first.kind).toBe('ConfigMapList');
    expect(first.items).toHaveLength(2);
    const names = first.items.map((o: { metadata: { name: string } }) => o.metadata.name);
    let cont = first.metadata.continue;
    while (cont) {
      const page = json(
        await api.request(
          `${CMS}?labelSelector=page%3Dyes&limit=2&continue=${encodeURIComponent(cont)}`,
        ),
      );
      names.push(...page.items.map((o: { metadata: { name: string } }) => o.metadata.name));
      cont = page.metadata.continue;
    }
    expect(names.sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const byField = json(await api.request(`${CMS}?fieldSelector=metadata.name%3Dpage-3`));
    expect(byField.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual([
      'page-3',
    ]);
    expect((await api.request(`${CMS}?fieldSelector=spec.nope%3D1`)).status).toBe(400);
    expect((await api.request(`${CMS}?labelSelector=%3D%3D%3D`)).status).toBe(400);
  });

  it('binds a pod once, deletes a bound pod gracefully, and evicts', async () => {
    const P = '/api/v1/namespaces/default/pods';
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await post(P, pod('b1'));
    const bind = (node: string) =>
      post(`${P}/b1/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'b1' },
        target: { kind: 'Node', name: node },
      });
    expect((await bind('n1')).status).toBe(201);
    expect(json(await bind('n2'))).toMatchObject({ reason: 'Conflict', code: 409 });
    const del = json(await api.request(`${P}/b1`, { method: 'DELETE' }));
    expect(del.metadata.deletionTimestamp).toBeDefined();
    expect(del.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await api.request(`${P}/b1?gracePeriodSeconds=0`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await api.request(`${P}/b1`)).status).toBe(404);
    await post(P, pod('e1'));
    const ev = await post(`${P}/e1/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'e1' },
    });
    expect(json(ev)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await api.request(`${P}/e1`)).status).toBe(404);
  });

  it('records propagationPolicy as a finalizer and honours delete preconditions', async () => {
    const created = json(await post(CMS, cm('orphan-me')));
    const wrongUid = await api.request(`${CMS}/orphan-me`, {
      method: 'DELETE',
      body: JSON.stringify({ preconditions: { uid: 'nope' } }),
      headers: JSON_CT,
    });
    expect(wrongUid.body).toContain('Precondition failed');
    expect(wrongUid.status).toBe(409);
    const r = json(
      await api.request(`${CMS}/orphan-me?propagationPolicy=Orphan`, {
        method: 'DELETE',
        body: JSON.stringify({ preconditions: { uid: created.metadata.uid } }),
        headers: JSON_CT,
      }),
    );
    expect(r.metadata.finalizers).toEqual(['orphan']);
    expect(r.metadata.deletionTimestamp).toBeDefined();
  });

  it('deletes a collection by label', async () => {
    await post(CMS, { ...cm('dc-1'), metadata: { name: 'dc-1', labels: { dc: 'y' } } });
    await post(CMS, { ...cm('dc-2'), metadata: { name: 'dc-2', labels: { dc: 'y' } } });
    const r = json(await api.request(`${CMS}?labelSelector=dc%3Dy`, { method: 'DELETE' }));
    expect(r.items).toHaveLength(2);
    expect(json(await api.request(`${CMS}?labelSelector=dc%3Dy`)).items).toHaveLength(0);
  });

  it('lists the state at an exact resourceVersion, and rejects bad resourceVersion parameters', async () => {
    const before = json(await post(CMS, cm('exact-1')));
    await post(CMS, cm('exact-2'));
    const names = (list: { items: { metadata: { name: string } }[] }) =>
      list.items.map((o) => o.metadata.name).filter((n) => n.startsWith('exact-'));
    const past = json(
      await api.request(
        `${CMS}?resourceVersion=${before.metadata.resourceVersion}&resourceVersionMatch=Exact`,
      ),
    );
    expect(names(past)).toEqual(['exact-1']);
    expect(past.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(names(json(await api.request(`${CMS}?resourceVersion=0`)))).toEqual([
      'exact-1',
      'exact-2',
    ]);
    expect((await api.request(`${CMS}?resourceVersionMatch=Exact`)).status).toBe(400);
    expect((await api.request(`${CMS}?resourceVersion=abc`)).status).toBe(400);
  });

  it('answers Table output when asked', async () => {
    const r = json(
      await api.request(CMS, {
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      }),
    );
    expect(r.kind).toBe('Table');
    expect(r.columnDefinitions[0].name).toBe('Name');
    expect(r.rows.length).toBeGreaterThan(0);
  });

  it('sheds load past maxInflight with 429 and Retry-After, but still serves watches', async () => {
    const other = await startTestApiServer({ maxInflight: 0 });
    try {
      const r = await other.request('/api/v1/namespaces');
      expect(r.status).toBe(429);
      expect(r.headers['retry-after']).toBe('1');
      expect(JSON.parse(r.body)).toMatchObject({ reason: 'TooManyRequests', code: 429 });
      const w = await other.request('/api/v1/namespaces?watch=true&timeoutSeconds=1');
      expect(w.status).toBe(200);
      expect(w.body).toContain('"ADDED"');
    } finally {
      await other.stop();
    }
  });

  it('denies with 403 when the authorizer says no', async () => {
    const deny: Authorizer = { authorize: () => ({ allowed: false, reason: 'nobody may' }) };
    const other = await startTestApiServer({ authorizer: deny });
    try {
      const r = await other.request('/api/v1/namespaces');
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ reason: 'Forbidden', message: 'nobody may' });
    } finally {
      await other.stop();
    }
  });
});
