import type { KubeObject } from '@bosun/api-client';
import { daemonSetController, type DaemonSet } from './daemon-set.controller';
import { daemonPodNode } from './daemon-set-eligibility';
import { Resources as Refs } from '../ports/resources';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const ns = 'default';
const nodes = ref(Refs.nodes);
const pods = ref(Refs.pods, ns);
const daemonSets = ref(Refs.daemonSets, ns);

const node = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: {},
});

describe('DaemonSet controller (integration: real api-server, Postgres)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.client.create(nodes, node('n1', { role: 'edge' }));
    await h.client.create(nodes, node('n2', { role: 'edge' }));
    await h.client.create(nodes, node('other'));
    await h.start(daemonSetController);
  }, 60_000);
  afterAll(() => h?.stop());

  const podNodes = async () =>
    (await h.client.list<KubeObject>(pods, { labelSelector: 'app=agent' })).items
      .filter((p) => !p.metadata['deletionTimestamp'])
      .map((p) => daemonPodNode(p as never))
      .sort();
  const until = (what: string, want: string[]) =>
    h.waitFor(what, async () => {
      const have = await podNodes();
      return JSON.stringify(have) === JSON.stringify(want) ? have : undefined;
    });

  it('runs one pod per matching node and follows nodes as they come and go', async () => {
    await h.client.create(daemonSets, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'a', image: 'busybox' }] },
        },
      },
    });
    await until('pods on n1 and n2', ['n1', 'n2']);
    const status = await h.waitFor('status', async () => {
      const ds = await h.client.get<DaemonSet & KubeObject>(daemonSets, 'agent');
      return ds.status?.['currentNumberScheduled'] === 2 ? ds.status : undefined;
    });
    expect(status).toMatchObject({
      desiredNumberScheduled: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });

    await h.client.create(nodes, node('n3', { role: 'edge' }));
    await until('a pod on the new node', ['n1', 'n2', 'n3']);
    await h.client.delete(nodes, 'n1');
    await until('the pod of the deleted node gone', ['n2', 'n3']);
  }, 60_000);
});
