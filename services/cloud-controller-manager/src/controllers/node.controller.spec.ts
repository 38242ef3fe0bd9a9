import type { InstancesV2 } from '../cloud-provider/cloud-provider';
import type { NodeObject } from '../cloud-provider/types';
import { LocalCloudProvider } from '../providers/local/local-provider';
import { FakeCloudCluster } from '../testing/fake-cloud-cluster';
import { NodeLifecycleReconciler } from './node-lifecycle.controller';
import { NodeReconciler } from './node.controller';

const UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized';
const SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown';

const node = (name: string, taints: NodeObject['spec'] = {}, ready = 'True'): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: taints,
  status: {
    addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
    conditions: [{ type: 'Ready', status: ready }],
  },
});

const local = new LocalCloudProvider({
  pool: '172.31.255.0/24',
  region: 'eu-local',
  zone: 'eu-local-1',
  instanceType: 'small',
}).instancesV2();

describe('cloud node controller', () => {
  it('initializes a node with the uninitialized taint: providerID, labels, taint removed, other taints kept', async () => {
    const cluster = new FakeCloudCluster();
    await cluster.start();
    const other = { key: 'dedicated', value: 'db', effect: 'NoSchedule' as const };
    cluster.nodePort.create(
      node('n1', { taints: [{ key: UNINITIALIZED, value: 'true', effect: 'NoSchedule' }, other] }),
    );
    await new NodeReconciler({ nodes: cluster.nodes, instances: local, writer: cluster }).reconcile(
      'n1',
    );
    const n = cluster.node('n1')!;
    expect(n.spec?.providerID).toBe('local://n1');
    expect(n.spec?.taints).toEqual([other]);
    expect(n.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'n1',
      'node.kubernetes.io/instance-type': 'small',
      'topology.kubernetes.io/zone': 'eu-local-1',
      'topology.kubernetes.io/region': 'eu-local',
    });
    // The addresses the node reported are what the local cloud knows: no status write.
    expect(cluster.writes).toEqual(['update node n1']);
  });

  it('leaves an initialized node alone', async () => {
    const cluster = new FakeCloudCluster();
    await cluster.start();
    cluster.nodePort.create(node('n1'));
    await new NodeReconciler({ nodes: cluster.nodes, instances: local, writer: cluster }).reconcile(
      'n1',
    );
    expect(cluster.writes).toEqual([]);
  });

  it('writes the addresses a cloud reports before removing the taint', async () => {
    const cluster = new FakeCloudCluster();
    await cluster.start();
    cluster.nodePort.create(node('n1', { taints: [{ key: UNINITIALIZED, effect: 'NoSchedule' }] }));
    const cloud: InstancesV2 = {
      ...local,
      instanceMetadata: async () => ({
        providerID: 'acme://i-1',
        instanceType: 'm1',
        zone: 'z',
        region: 'r',
        nodeAddresses: [{ type: 'ExternalIP', address: '203.0.113.4' }],
      }),
    };
    await new NodeReconciler({ nodes: cluster.nodes, instances: cloud, writer: cluster }).reconcile(
      'n1',
    );
    expect(cluster.writes).toEqual(['update node n1 status', 'update node n1']);
    expect(cluster.node('n1')?.status?.addresses).toEqual([
      { type: 'ExternalIP', address: '203.0.113.4' },
    ]);
    expect(cluster.node('n1')?.spec).toEqual({ providerID: 'acme://i-1' });
  });
});

describe('cloud node lifecycle controller', () => {
  const fakeCloud = (state: { exists: boolean; shutdown: boolean }): InstancesV2 => ({
    ...local,
    instanceExists: async () => state.exists,
    instanceShutdown: async () => state.shutdown,
  });

  async function setup(ready: string, state: { exists: boolean; shutdown: boolean }) {
    const cluster = new FakeCloudCluster();
    await cluster.start();
    cluster.nodePort.create(node('n1', {}, ready));
    const r = new NodeLifecycleReconciler({
      nodes: cluster.nodes,
      instances: fakeCloud(state),
      writer: cluster,
      monitorPeriodMs: 5000,
    });
    return { cluster, reconcile: () => r.reconcile('n1') };
  }

  it('deletes a NotReady node whose instance is gone', async () => {
    const t = await setup('Unknown', { exists: false, shutdown: false });
    expect(await t.reconcile()).toBeUndefined();
    expect(t.cluster.node('n1')).toBeUndefined();
  });

  it('taints a NotReady node whose instance is shut down, and looks again later', async () => {
    const t = await setup('False', { exists: true, shutdown: true });
    expect(await t.reconcile()).toEqual({ requeueAfter: 5000 });
    expect(t.cluster.node('n1')?.spec?.taints).toEqual([{ key: SHUTDOWN, effect: 'NoSchedule' }]);
  });

  it('removes the shutdown taint once the node is Ready again', async () => {
    const t = await setup('True', { exists: true, shutdown: false });
    const n = t.cluster.node('n1')!;
    t.cluster.nodePort.update({
      ...n,
      spec: { taints: [{ key: SHUTDOWN, effect: 'NoSchedule' }] },
    });
    await t.reconcile();
    expect(t.cluster.node('n1')?.spec?.taints).toBeUndefined();
  });

  it('with the local provider never deletes a node, however long it is NotReady', async () => {
    const cluster = new FakeCloudCluster();
    await cluster.start();
    cluster.nodePort.create(node('n1', {}, 'Unknown'));
    const r = new NodeLifecycleReconciler({
      nodes: cluster.nodes,
      instances: local,
      writer: cluster,
    });
    expect(await r.reconcile('n1')).toEqual({ requeueAfter: 5000 });
    expect(cluster.writes).toEqual([]);
  });
});
