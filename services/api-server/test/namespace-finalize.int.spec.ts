import { startTestApiServer, type TestApiServer } from './test-api-server';

const JSON_CT = { 'Content-Type': 'application/json' };

describe('namespace deletion and the finalize subresource (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer();
  }, 60_000);
  afterAll(() => api?.stop());

  const get = async (name: string) => api.request(`/api/v1/namespaces/${name}`);

  it('keeps a deleted namespace Terminating with spec.finalizers until PUT finalize clears them', async () => {
    const created = await api.request('/api/v1/namespaces', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'fin' } }),
      headers: JSON_CT,
    });
    expect(created.status).toBe(201);
    expect((await api.request('/api/v1/namespaces/fin', { method: 'DELETE' })).status).toBe(200);
    const terminating = JSON.parse((await get('fin')).body) as {
      metadata: { deletionTimestamp?: string; resourceVersion: string };
      spec: { finalizers: string[] };
      status: { phase: string };
    };
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.spec.finalizers).toEqual(['kubernetes']);
    expect(terminating.status.phase).toBe('Terminating');

    const stale = await api.request('/api/v1/namespaces/fin/finalize', {
      method: 'PUT',
      body: JSON.stringify({
        metadata: { name: 'fin', resourceVersion: '1' },
        spec: { finalizers: [] },
      }),
      headers: JSON_CT,
    });
    expect(stale.status).toBe(409);
    const done = await api.request('/api/v1/namespaces/fin/finalize', {
      method: 'PUT',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'fin', resourceVersion: terminating.metadata.resourceVersion },
        spec: { finalizers: [] },
      }),
      headers: JSON_CT,
    });
    expect(done.status).toBe(200);
    expect((await get('fin')).status).toBe(404);
  });

  it('finalize on a live namespace only changes spec.finalizers', async () => {
    await api.request('/api/v1/namespaces', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'live' } }),
      headers: JSON_CT,
    });
    const res = await api.request('/api/v1/namespaces/live/finalize', {
      method: 'PUT',
      body: JSON.stringify({ metadata: { name: 'live' }, spec: { finalizers: [] } }),
      headers: JSON_CT,
    });
    expect(res.status).toBe(200);
    const ns = JSON.parse((await get('live')).body) as {
      spec: { finalizers?: string[] };
      status: { phase: string };
    };
    expect(ns.spec.finalizers ?? []).toEqual([]);
    expect(ns.status.phase).toBe('Active');
  });
});
