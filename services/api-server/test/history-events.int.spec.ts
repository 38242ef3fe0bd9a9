import { ApiClient, loadKubeconfig, type EventLogLine } from '@bosun/api-client';
import type { Deployment } from '@bosun/api-types';
import { ErrorCode } from '@bosun/common';
import { waitFor } from '@bosun/testing';
import { startTestApiServer, type TestApiServer } from './test-api-server';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default' };
const deployment = (name: string, replicas = 1): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    },
  },
});

describe('history and event-log endpoints (needs Postgres)', () => {
  let api: TestApiServer;
  let admin: ApiClient;
  let scheduler: ApiClient;

  beforeAll(async () => {
    api = await startTestApiServer();
    admin = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
    scheduler = new ApiClient(
      await loadKubeconfig(api.componentKubeconfigs['system:kube-scheduler']),
    );
  });
  afterAll(async () => {
    admin?.close();
    scheduler?.close();
    await api?.stop();
  });

  it('lists every version with its actor across create, patch, scale, delete and re-create', async () => {
    await admin.create(deployments, deployment('web'));
    await scheduler.patch(deployments, 'web', { metadata: { labels: { tier: 'front' } } });
    await admin.patch(deployments, 'web', { spec: { replicas: 3 } }, undefined, 'scale');
    await admin.delete(deployments, 'web');
    await scheduler.create(deployments, deployment('web', 2));

    const h = await admin.history(deployments, 'default', 'web');
    expect(h).toMatchObject({
      apiVersion: 'bosun.dev/v1',
      kind: 'ObjectHistory',
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespace: 'default',
      name: 'web',
      compactedRevision: 0,
    });
    // Deleting a Deployment with finalizers-free foreground defaults may add a MODIFIED first.
    const kinds = h.items.map((i) => [i.type, i.actor]);
    expect(kinds[0]).toEqual(['ADDED', 'bosun-admin']);
    expect(kinds[1]).toEqual(['MODIFIED', 'system:kube-scheduler']);
    expect(kinds[2]).toEqual(['MODIFIED', 'bosun-admin']);
    expect(kinds).toContainEqual(['DELETED', 'bosun-admin']);
    expect(kinds[kinds.length - 1]).toEqual(['ADDED', 'system:kube-scheduler']);
    expect(h.items[1].object.metadata.labels).toEqual({ tier: 'front' });
    expect((h.items[2].object as Deployment).spec.replicas).toBe(3);
    const revisions = h.items.map((i) => i.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    for (const i of h.items) expect(new Date(i.time).toISOString()).toBe(i.time);
  });

  it('answers empty items for a name never seen and 404 Status for an unknown resource', async () => {
    const h = await admin.history(deployments, 'default', 'never-was');
    expect(h.items).toEqual([]);
    await expect(
      admin.history({ group: 'apps', version: 'v1', resource: 'gizmos' }, 'default', 'x'),
    ).rejects.toMatchObject({ code: ErrorCode.NotFound });
    const res = await api.request('/apis/bosun.dev/v1/history/apps/v1/gizmos/x?namespace=default');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', code: 404 });
  });

  it('reads cluster-scoped history under "core" and needs a namespace for namespaced kinds', async () => {
    await admin.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      {
        metadata: { name: 'hist-ns' },
      },
    );
    const h = await admin.history(
      { group: '', version: 'v1', resource: 'namespaces' },
      '',
      'hist-ns',
    );
    expect(h.items.map((i) => i.type)).toEqual(['ADDED']);
    const res = await api.request('/apis/bosun.dev/v1/history/apps/v1/deployments/web');
    expect(res.status).toBe(400);
  });

  it('refuses unauthenticated callers', async () => {
    const res = await api.request('/apis/bosun.dev/v1/events', {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
  });

  it('streams the log without follow: the events after `after`, at most `limit`, then ends', async () => {
    const head = await api.store.currentRevision();
    await admin.create(deployments, deployment('log-a'));
    await admin.create(deployments, deployment('log-b'));
    const lines: EventLogLine[] = [];
    for await (const l of admin.streamEvents({ after: head })) lines.push(l);
    expect(lines.map((l) => [l.type, l.group, l.resource, l.namespace, l.name, l.actor])).toEqual([
      ['ADDED', 'apps', 'deployments', 'default', 'log-a', 'bosun-admin'],
      ['ADDED', 'apps', 'deployments', 'default', 'log-b', 'bosun-admin'],
    ]);
    expect(lines[1].revision).toBe(lines[0].revision + 1);
    expect(lines[0].object.metadata.name).toBe('log-a');

    const one: EventLogLine[] = [];
    for await (const l of admin.streamEvents({ after: head, limit: 1 })) one.push(l);
    expect(one.map((l) => l.name)).toEqual(['log-a']);

    const last: EventLogLine[] = [];
    for await (const l of admin.streamEvents({ limit: 2 })) last.push(l);
    expect(last.map((l) => l.name)).toEqual(['log-a', 'log-b']);
  });

  it('follows: a write made after connecting shows up, in order, exactly once', async () => {
    const head = await api.store.currentRevision();
    const abort = new AbortController();
    const seen: EventLogLine[] = [];
    const reading = (async () => {
      for await (const l of admin.streamEvents({ after: head, follow: true, signal: abort.signal }))
        seen.push(l);
    })();
    await admin.create(deployments, deployment('follow-a'));
    await waitFor(() => seen.length >= 1, { timeoutMs: 10_000, what: 'the first event' });
    await scheduler.patch(deployments, 'follow-a', { metadata: { labels: { x: 'y' } } });
    await admin.delete(deployments, 'follow-a');
    await waitFor(() => seen.some((l) => l.type === 'DELETED'), {
      timeoutMs: 10_000,
      what: 'the delete',
    });
    abort.abort();
    await reading;
    const revisions = seen.map((l) => l.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(revisions[0]).toBe(head + 1);
    expect(seen.slice(0, 2).map((l) => [l.type, l.name, l.actor])).toEqual([
      ['ADDED', 'follow-a', 'bosun-admin'],
      ['MODIFIED', 'follow-a', 'system:kube-scheduler'],
    ]);
  });

  it('answers 410 for `after` below the compaction horizon and 400 for bad values', async () => {
    await admin.create(deployments, deployment('compact-me'));
    const { compactedRevision } = await api.store.compact({ keepRevisions: 1 });
    expect(compactedRevision).toBeGreaterThan(1);
    const gone = await api.request(`/apis/bosun.dev/v1/events?after=${compactedRevision - 1}`);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.body)).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    const lines: unknown[] = [];
    await expect(
      (async () => {
        for await (const l of admin.streamEvents({ after: 0 })) lines.push(l);
      })(),
    ).rejects.toMatchObject({ code: ErrorCode.Gone });
    const h = await admin.history(deployments, 'default', 'web');
    expect(h.compactedRevision).toBe(compactedRevision);

    for (const q of ['after=-1', 'after=abc', 'limit=0', 'limit=100001', 'follow=maybe']) {
      const res = await api.request(`/apis/bosun.dev/v1/events?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', code: 400 });
    }
  });

  it('deletes with preconditions: a stale resourceVersion is a Conflict, the current one deletes', async () => {
    const created = await admin.create(deployments, deployment('guarded'));
    await admin.patch(deployments, 'guarded', { metadata: { labels: { v: '2' } } });
    await expect(
      admin.delete(deployments, 'guarded', {
        preconditions: { resourceVersion: created.metadata.resourceVersion },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const current = await admin.get(deployments, 'guarded');
    await admin.delete(deployments, 'guarded', {
      preconditions: { resourceVersion: current.metadata.resourceVersion },
    });
    const h = await admin.history(deployments, 'default', 'guarded');
    expect(h.items[h.items.length - 1].type).toBe('DELETED');
  });

  it('is not in discovery, and kubectl api-resources still works', async () => {
    const groups = JSON.parse((await api.request('/apis')).body) as {
      groups: { name: string }[];
    };
    for (const g of groups.groups.filter((x) => x.name === 'bosun.dev')) {
      const list = JSON.parse((await api.request('/apis/bosun.dev/v1')).body) as {
        resources: { name: string }[];
      };
      expect(list.resources.map((r) => r.name)).not.toContain('history');
      expect(list.resources.map((r) => r.name)).not.toContain('events');
      expect(g.name).toBe('bosun.dev');
    }
    const out = await api.kubectl(['api-resources']);
    expect(out).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });
});
