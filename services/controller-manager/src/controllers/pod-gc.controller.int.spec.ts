import type { KubeObject } from '@bosun/api-client';
import { Resources as Refs } from '../ports/resources';
import { podGcController } from './pod-gc.controller';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const ns = 'default';
const nodes = ref(Refs.nodes);
const pods = ref(Refs.pods, ns);

const node = (name: string, ready: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready, reason: 'Test' }] },
});
const pod = (name: string, nodeName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
});

describe('pod GC controller (integration: real api-server, Postgres)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.client.create(nodes, node('n1', 'True'));
    await h.client.create(nodes, node('lost', 'Unknown'));
  }, 60_000);
  afterAll(() => h?.stop());

  const names = async () =>
    (await h.client.list<KubeObject>(pods)).items.map((p) => p.metadata.name!).sort();
  const until = (what: string, want: string[]) =>
    h.waitFor(what, async () => {
      const have = await names();
      return JSON.stringify(have) === JSON.stringify(want) ? have : undefined;
    });

  it('collects terminated pods over the threshold, orphans, and stuck terminating pods', async () => {
    for (const name of ['done-a', 'done-b', 'done-c']) {
      await h.client.create(pods, pod(name, 'n1'));
      await h.setPodStatus(ns, name, { phase: name === 'done-b' ? 'Failed' : 'Succeeded' });
    }
    await h.client.create(pods, pod('running', 'n1'));
    await h.client.create(pods, pod('orphan', 'ghost'));
    await h.client.create(pods, pod('stuck', 'lost'));
    // A bound pod's delete waits for its node agent, which on an unreachable node never comes.
    await h.client.delete(pods, 'stuck');
    expect((await h.client.get<KubeObject>(pods, 'stuck')).metadata['deletionTimestamp']).toEqual(
      expect.any(String),
    );
    await h.start((ctx) =>
      podGcController(ctx, { periodMs: 100, nodeQuarantineMs: 0, terminatedPodThreshold: 2 }),
    );
    await until('the collection', ['done-b', 'done-c', 'running']);
  }, 60_000);
});
