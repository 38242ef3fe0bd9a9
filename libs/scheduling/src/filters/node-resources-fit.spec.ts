import { ClusterSnapshot, makeNode, makePod, runFilter } from '../../test/fixtures';
import { NodeResourcesFit } from './node-resources-fit';

describe('NodeResourcesFit', () => {
  const node = makeNode('n1', {
    cpu: '2',
    memory: '4Gi',
    pods: '2',
    extra: { 'nvidia.com/gpu': '1' },
  });
  const running = makePod({ nodeName: 'n1', cpu: '1500m', memory: '1Gi' });

  it.each<[string, Parameters<typeof makePod>[0], string[]]>([
    ['fits in what is left', { cpu: '500m', memory: '3Gi' }, []],
    ['names a CPU shortfall', { cpu: '501m' }, ['Insufficient cpu']],
    ['names a memory shortfall', { memory: '3073Mi', cpu: '10m' }, ['Insufficient memory']],
    [
      'names an extended resource',
      { requests: { 'nvidia.com/gpu': '2' } },
      ['Insufficient nvidia.com/gpu'],
    ],
    ['a pod requesting nothing always fits resources', {}, []],
  ])('%s', (_title, opts, reasons) => {
    const snapshot = ClusterSnapshot.of([node], [running]);
    const pod = makePod(opts);
    expect(runFilter(NodeResourcesFit, pod, snapshot, 'n1')).toEqual(reasons);
  });

  it('counts pods against allocatable pods: "Too many pods"', () => {
    const snapshot = ClusterSnapshot.of([node], [running, makePod({ nodeName: 'n1' })]);
    expect(runFilter(NodeResourcesFit, makePod(), snapshot, 'n1')).toEqual(['Too many pods']);
  });

  it('reports every shortfall at once', () => {
    const snapshot = ClusterSnapshot.of([node], [running]);
    expect(
      runFilter(NodeResourcesFit, makePod({ cpu: '1', memory: '5Gi' }), snapshot, 'n1'),
    ).toEqual(['Insufficient cpu', 'Insufficient memory']);
  });

  it('counts the largest init container and the overhead', () => {
    const snapshot = ClusterSnapshot.of([node], [running]);
    const pod = makePod({
      cpu: '100m',
      spec: {
        initContainers: [{ name: 'i', resources: { requests: { cpu: '600m' } } }],
      },
    });
    expect(runFilter(NodeResourcesFit, pod, snapshot, 'n1')).toEqual(['Insufficient cpu']);
    const withOverhead = makePod({ cpu: '450m', spec: { overhead: { cpu: '100m' } } });
    expect(runFilter(NodeResourcesFit, withOverhead, snapshot, 'n1')).toEqual(['Insufficient cpu']);
  });
});
