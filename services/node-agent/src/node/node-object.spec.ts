import { nodeObject, UNINITIALIZED_TAINT, type NodeFacts } from './node-object';

const facts: NodeFacts = {
  name: 'node-1',
  podCidr: '10.244.1.0/24',
  cpu: '2',
  memory: '4Gi',
  pods: '110',
  ephemeralStorage: '10Gi',
  internalIP: '10.128.0.11',
  hostname: 'node-1',
  runtimeVersion: 'runc://1.1',
};

describe('the Node the agent registers', () => {
  it('carries the pod CIDR and the configured InternalIP, and no taints by default', () => {
    const node = nodeObject(facts, []) as {
      spec: Record<string, unknown>;
      status: { addresses: { type: string; address: string }[] };
    };
    expect(node.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '10.128.0.11' });
  });

  it('registers with the uninitialized taint under an external cloud provider', () => {
    const node = nodeObject({ ...facts, registerTaints: [UNINITIALIZED_TAINT] }, []) as {
      spec: { taints?: unknown[] };
    };
    expect(node.spec.taints).toEqual([
      {
        key: 'node.cloudprovider.kubernetes.io/uninitialized',
        value: 'true',
        effect: 'NoSchedule',
      },
    ]);
  });
});
