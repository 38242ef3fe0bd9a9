import type { ApiClient } from '@bosun/api-client';
import type { ServiceHandle } from '@bosun/service-host';
import { waitFor } from '@bosun/testing';
import {
  clientFor,
  createNamespace,
  eventsOf,
  NODES,
  nodeObject,
  PODS,
  podObject,
  startScheduler,
  startTestApiServer,
  waitAllBound,
  type PodObject,
  type TestApiServer,
} from './cluster';

describe('scheduler against the real api-server (integration: Postgres)', () => {
  let api: TestApiServer;
  let client: ApiClient;
  let svc: ServiceHandle;

  beforeAll(async () => {
    api = await startTestApiServer();
    client = await clientFor(api);
    for (const n of ['node-a', 'node-b', 'node-c']) await client.create(NODES, nodeObject(n));
    ({ svc } = await startScheduler(api, 'solo'));
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    client?.close();
    await api?.stop();
  });

  it('binds pending pods through pods/binding, spread over the nodes, with a Scheduled event each', async () => {
    await createNamespace(client, 'spread');
    for (let i = 0; i < 6; i++)
      await client.create(PODS('spread'), podObject(`web-${i}`, 'spread'));
    const bound = await waitAllBound(client, 'spread', 6);
    const perNode = new Map<string, number>();
    for (const p of bound) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['node-a', 'node-b', 'node-c']);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
    for (const p of bound) {
      expect(p.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
      );
    }
    const events = await waitFor(
      async () => {
        const e = await eventsOf(client, 'spread', 'Scheduled');
        return e.length === 6 ? e : undefined;
      },
      { what: '6 Scheduled events' },
    );
    const messages = events.map((e) => e.message).sort();
    expect(messages).toEqual(
      bound
        .map((p) => `Successfully assigned spread/${p.metadata.name} to ${p.spec.nodeName}`)
        .sort(),
    );
    expect(events[0]).toMatchObject({ type: 'Normal', source: { component: 'default-scheduler' } });
  });

  it('leaves pods of another scheduler alone', async () => {
    await createNamespace(client, 'other');
    await client.create(PODS('other'), podObject('mine', 'other'));
    await client.create(
      PODS('other'),
      podObject('theirs', 'other', '100m', { schedulerName: 'custom' }),
    );
    const [bound] = await waitAllBound(client, 'other', 1);
    expect(bound.metadata.name).toBe('mine');
    const theirs = await client.get<PodObject>(PODS('other'), 'theirs');
    expect(theirs.spec.nodeName).toBeUndefined();
    expect(theirs.status?.conditions ?? []).not.toContainEqual(
      expect.objectContaining({ type: 'PodScheduled' }),
    );
  });

  it('marks a pod that fits nowhere PodScheduled=False with the exact message and an event, and places it once a node fits', async () => {
    await createNamespace(client, 'big');
    await client.create(PODS('big'), podObject('huge', 'big', '16'));
    const message =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    const pod = await waitFor(
      async () => {
        const p = await client.get<PodObject>(PODS('big'), 'huge');
        return p.status?.conditions?.find((c) => c.type === 'PodScheduled') ? p : undefined;
      },
      { what: 'PodScheduled condition' },
    );
    expect(pod.status?.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
      }),
    );
    const [event] = await waitFor(() =>
      eventsOf(client, 'big', 'FailedScheduling').then((e) => (e.length ? e : undefined)),
    );
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
      involvedObject: { kind: 'Pod', namespace: 'big', name: 'huge' },
    });

    await client.create(NODES, nodeObject('node-big', '32', '64Gi'));
    const [bound] = await waitAllBound(client, 'big', 1);
    expect(bound.spec.nodeName).toBe('node-big');
    expect(bound.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    );
  });

  it('exposes queue depths and attempt metrics', async () => {
    const text = await (await fetch(`${svc.url()}/metrics`)).text();
    expect(text).toMatch(/bosun_scheduler_pending_pods\{queue="active"/);
    expect(text).toMatch(/bosun_scheduler_schedule_attempts_total\{result="scheduled"[^}]*\} \d+/);
    expect(text).toMatch(/bosun_scheduler_schedule_attempts_total\{result="unschedulable"/);
    expect(text).toMatch(/bosun_scheduler_scheduling_attempt_duration_seconds_bucket/);
  });
});
