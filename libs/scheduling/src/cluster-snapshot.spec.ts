import { makeNode, makePod } from '../test/fixtures';
import { ClusterSnapshot } from './cluster-snapshot';

describe('ClusterSnapshot', () => {
  it('keeps per-node totals in step as pods come, move and go', () => {
    const snapshot = ClusterSnapshot.of([makeNode('a'), makeNode('b')]);
    const pod = makePod({ cpu: '1', owner: 'rs', ports: [{ containerPort: 80, hostPort: 80 }] });
    snapshot.addPod(pod, 'a');
    expect(snapshot.get('a')!.requested.milliCPU).toBe(1000);
    expect(snapshot.get('a')!.ownerCounts.get('rs')).toBe(1);
    snapshot.addPod(pod, 'b');
    expect(snapshot.get('a')!.requested.milliCPU).toBe(0);
    expect(snapshot.get('a')!.usedPorts).toEqual([]);
    expect(snapshot.get('b')!.pods.size).toBe(1);
    snapshot.removePod(pod.metadata.uid!);
    expect(snapshot.get('b')!.requested.milliCPU).toBe(0);
    expect(snapshot.get('b')!.ownerCounts.size).toBe(0);
  });

  it('holds pods of an unknown node until the node appears', () => {
    const snapshot = ClusterSnapshot.of([], [makePod({ nodeName: 'late', cpu: '2' })]);
    expect(snapshot.size).toBe(0);
    snapshot.upsertNode(makeNode('late'));
    expect(snapshot.get('late')!.requested.milliCPU).toBe(2000);
    snapshot.removeNode('late');
    snapshot.upsertNode(makeNode('late'));
    expect(snapshot.get('late')!.pods.size).toBe(1);
  });

  it('updates allocatable when a node changes', () => {
    const snapshot = ClusterSnapshot.of([makeNode('a', { cpu: '2' })]);
    snapshot.upsertNode(makeNode('a', { cpu: '8' }));
    expect(snapshot.get('a')!.allocatable.milliCPU).toBe(8000);
    expect(snapshot.list()).toHaveLength(1);
  });
});
