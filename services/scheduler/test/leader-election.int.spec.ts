import type { ApiClient, KubeObject } from '@bosun/api-client';
import type { ServiceHandle } from '@bosun/service-host';
import { waitFor } from '@bosun/testing';
import type { SchedulerService } from '../src/scheduler.service';
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
  type TestApiServer,
} from './cluster';

const LEASES = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  namespace: 'kube-system',
};

describe('scheduler replicas and restarts (integration: Postgres)', () => {
  let api: TestApiServer;
  let client: ApiClient;
  const running: ServiceHandle[] = [];

  const start = async (identity: string): Promise<SchedulerService> => {
    const { svc, core } = await startScheduler(api, identity);
    running.push(svc);
    return core;
  };
  const createPods = async (ns: string, prefix: string, n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await client.create(PODS(ns), podObject(`${prefix}-${i}`, ns));
  };
  /** Who recorded each Scheduled event, per pod name. */
  const schedulersOf = async (ns: string): Promise<Map<string, string[]>> => {
    const byPod = new Map<string, string[]>();
    for (const e of await eventsOf(client, ns, 'Scheduled')) {
      const pod = (e.involvedObject as { name: string }).name;
      byPod.set(pod, [...(byPod.get(pod) ?? []), String(e.reportingInstance)]);
    }
    return byPod;
  };

  beforeAll(async () => {
    api = await startTestApiServer();
    client = await clientFor(api);
    for (const n of ['node-a', 'node-b']) await client.create(NODES, nodeObject(n, '64', '256Gi'));
  }, 60_000);
  afterAll(async () => {
    for (const svc of running) await svc.stop();
    client?.close();
    await api?.stop();
  });

  it('with two replicas only the Lease holder binds, and the other takes over when it stops', async () => {
    await createNamespace(client, 'ha');
    const first = await start('replica-1');
    await waitFor(() => first.isLeader(), { what: 'replica-1 leading' });
    const second = await start('replica-2');
    await createPods('ha', 'before', 5);
    await waitAllBound(client, 'ha', 5);
    expect(second.isLeader()).toBe(false);
    const lease = await client.get<KubeObject & { spec: { holderIdentity: string } }>(
      LEASES,
      'bosun-scheduler',
    );
    expect(lease.spec.holderIdentity).toBe('replica-1');
    const before = await waitFor(async () => {
      const m = await schedulersOf('ha');
      return m.size === 5 ? m : undefined;
    });
    expect([...before.values()].flat()).toEqual(Array(5).fill('replica-1'));

    await running[0].stop();
    await waitFor(() => second.isLeader(), { timeoutMs: 15_000, what: 'replica-2 taking over' });
    await createPods('ha', 'after', 5);
    await waitAllBound(client, 'ha', 10);
    const after = await waitFor(async () => {
      const m = await schedulersOf('ha');
      return m.size === 10 ? m : undefined;
    });
    for (let i = 0; i < 5; i++) {
      expect(after.get(`before-${i}`)).toEqual(['replica-1']);
      expect(after.get(`after-${i}`)).toEqual(['replica-2']);
    }
  }, 60_000);

  it('a restarted scheduler does not bind pods twice and places the new ones', async () => {
    await createNamespace(client, 'restart');
    for (const svc of running.splice(0)) await svc.stop();
    await start('gen-1');
    await createPods('restart', 'old', 8);
    const firstBound = await waitAllBound(client, 'restart', 8);
    const placement = new Map(firstBound.map((p) => [p.metadata.name, p.spec.nodeName]));
    await running.pop()!.stop();

    const next = await start('gen-2');
    await waitFor(() => next.isLeader(), { timeoutMs: 15_000, what: 'gen-2 leading' });
    await createPods('restart', 'new', 4);
    const all = await waitAllBound(client, 'restart', 12);
    for (const p of all.filter((p) => p.metadata.name!.startsWith('old-'))) {
      expect(p.spec.nodeName).toBe(placement.get(p.metadata.name));
    }
    const byPod = await waitFor(async () => {
      const m = await schedulersOf('restart');
      return m.size === 12 ? m : undefined;
    });
    for (const [pod, instances] of byPod) {
      expect(instances).toEqual([pod.startsWith('old-') ? 'gen-1' : 'gen-2']);
    }
    const bindWarnings = await eventsOf(client, 'restart', 'FailedScheduling');
    expect(bindWarnings).toEqual([]);
  }, 60_000);
});
