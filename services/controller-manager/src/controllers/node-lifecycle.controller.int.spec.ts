import type { KubeObject } from '@bosun/api-client';
import { testing } from '@bosun/controller-kit';
import type { Node } from '@bosun/api-types';
import { nodeLifecycleController } from './node-lifecycle.controller';
import { Resources as Refs } from '../ports/resources';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const nodes = ref(Refs.nodes);
const leases = ref(Refs.leases, 'kube-node-lease');
const pods = ref(Refs.pods, 'default');

describe('node lifecycle controller (integration: real api-server, Postgres, fake clock)', () => {
  let h: ApiHarness;
  const clock = new testing.FakeClock(Date.now());
  // The node agent's heartbeat time: the fake clock keeps it moving however fast the test runs.
  const stamp = () => new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const readyStatus = () => ({
    conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: stamp() },
    ],
  });

  beforeAll(async () => {
    h = await startApiHarness(clock);
    await h.client.create(nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: readyStatus(),
    });
    await h.client.create(leases, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'n1' },
      spec: {
        holderIdentity: 'n1',
        leaseDurationSeconds: 40,
        renewTime: new Date().toISOString().replace('Z', '000Z'),
      },
    });
    for (const [name, tolerations] of [
      ['patient', undefined],
      [
        'impatient',
        [
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 0,
          },
        ],
      ],
    ] as const) {
      await h.client.create(pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: 'n1', tolerations, containers: [{ name: 'c', image: 'busybox' }] },
      });
    }
    await h.start(nodeLifecycleController);
  }, 60_000);
  afterAll(() => h?.stop());

  const node = () => h.client.get<Node>(nodes, 'n1');
  const evicted = async (name: string) => {
    try {
      const pod = await h.client.get<KubeObject>(pods, name);
      return pod.metadata['deletionTimestamp'] ? true : undefined;
    } catch (e) {
      return (e as { code?: string }).code === 'NotFound' ? true : undefined;
    }
  };

  it('marks a silent node Unknown, taints it, evicts by toleration, and untaints it when it is back', async () => {
    // Advance only once the controller has seen the node and armed its grace-period wake-up.
    const armed = () =>
      h.waitFor('a wake-up armed', async () => clock.pendingTimers > 0 || undefined);
    await armed();
    await clock.advance(41_000);
    const silent = await h.waitFor('Ready=Unknown and the unreachable taint', async () => {
      const n = await node();
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
      const tainted = n.spec?.taints?.some(
        (t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute',
      );
      return ready?.status === 'Unknown' && tainted ? n : undefined;
    });
    expect(silent.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    await h.waitFor('the untolerating pod evicted', () => evicted('impatient'));
    expect(await evicted('patient')).toBeUndefined();

    // The admission default toleration is 300 s.
    await armed();
    await clock.advance(300_000);
    await h.waitFor('the 300 s toleration run out', () => evicted('patient'));

    const back = await node();
    await h.client.update(nodes, { ...back, status: readyStatus() }, 'status');
    await h.waitFor('the taints removed', async () => {
      const n = await node();
      return (n.spec?.taints ?? []).length === 0 ? n : undefined;
    });
  }, 60_000);
});
