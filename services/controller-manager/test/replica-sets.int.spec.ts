import type { ApiClient, KubeObject } from '@bosun/api-client';
import { PatchType } from '@bosun/api-client';
import type { ControllerManager } from '../src/controller-manager';
import { startTestApiServer, type TestApiServer } from './api-server';
import { activePods, clientFor, PODS, RSS, startManager, waitFor } from './cluster-helpers';

interface Owned extends KubeObject {
  metadata: KubeObject['metadata'] & {
    labels?: Record<string, string>;
    ownerReferences?: { uid: string; kind: string }[];
    uid?: string;
  };
}

describe('ReplicaSet against the real api-server (integration: Postgres, NATS)', () => {
  let api: TestApiServer;
  let client: ApiClient;
  let manager: ControllerManager;
  const ns = 'rs';

  beforeAll(async () => {
    api = await startTestApiServer();
    client = await clientFor(api);
    manager = startManager(client, 'cm-rs');
    await client.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { metadata: { name: ns } },
    );
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    client?.close();
    await api?.stop();
  });

  it('adopts a matching orphan, creates the rest, releases a pod relabelled away and replaces it', async () => {
    // Both exist before the manager lists: otherwise it may create 3 pods before its cache shows
    // the orphan, then adopt it and delete a surplus pod (valid, but not what this test shows).
    await manager.stop();
    const orphan = await client.create<Owned>(PODS(ns), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', labels: { app: 'cache' } },
      spec: { containers: [{ name: 'c', image: 'redis' }] },
    });
    const rs = await client.create<Owned>(RSS(ns), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'cache' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'cache' } },
        template: {
          metadata: { labels: { app: 'cache' } },
          spec: { containers: [{ name: 'c', image: 'redis' }] },
        },
      },
    });
    manager = startManager(client, 'cm-rs-2');
    const owned = (p: Owned) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid);
    const pods = await waitFor('3 owned pods', async () => {
      const all = (await activePods(client, ns, 'app=cache')) as Owned[];
      return all.length === 3 && all.every(owned) ? all : undefined;
    });
    expect(pods.map((p) => p.metadata.name)).toContain('orphan');
    expect(
      pods
        .filter((p) => p.metadata.name !== 'orphan')
        .every((p) => p.metadata.name?.startsWith('cache-')),
    ).toBe(true);
    expect(orphan.metadata.ownerReferences).toBeUndefined();

    await client.patch(
      PODS(ns),
      'orphan',
      { metadata: { labels: { app: 'debug' } } },
      PatchType.Merge,
    );
    await waitFor('orphan released and replaced', async () => {
      const released = await client.get<Owned>(PODS(ns), 'orphan');
      const all = (await activePods(client, ns, 'app=cache')) as Owned[];
      return !released.metadata.ownerReferences?.length && all.length === 3 && all.every(owned)
        ? true
        : undefined;
    });
    const status = await waitFor('status', async () => {
      const cur = await client.get<
        Owned & {
          status?: {
            replicas?: number;
            fullyLabeledReplicas?: number;
            observedGeneration?: number;
          };
        }
      >(RSS(ns), 'cache');
      return cur.status?.replicas === 3 && cur.status.fullyLabeledReplicas === 3
        ? cur.status
        : undefined;
    });
    expect(status.observedGeneration).toBe(1);
  }, 60_000);

  it('scales down through the scale subresource, deleting the surplus', async () => {
    await api.kubectl(['-n', ns, 'scale', 'rs/cache', '--replicas=1']);
    await waitFor('1 pod', async () =>
      (await activePods(client, ns, 'app=cache')).length === 1 ? true : undefined,
    );
  }, 60_000);
});
