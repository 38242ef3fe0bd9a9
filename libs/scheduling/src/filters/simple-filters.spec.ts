import { ClusterSnapshot, makeNode, makePod, runFilter } from '../../test/fixtures';
import type { Pod } from '../types';
import { NodeName } from './node-name';
import { NodePorts } from './node-ports';
import { NodeUnschedulable } from './node-unschedulable';
import { TaintToleration } from './taint-toleration';

describe('NodeName', () => {
  const snapshot = ClusterSnapshot.of([makeNode('a'), makeNode('b')]);
  it('passes only the named node', () => {
    const pod = makePod({ nodeName: 'a' });
    expect(runFilter(NodeName, pod, snapshot, 'a')).toEqual([]);
    expect(runFilter(NodeName, pod, snapshot, 'b')).toEqual([
      "node(s) didn't match the requested node name",
    ]);
  });
  it('is skipped for a pod naming no node', () => {
    expect(runFilter(NodeName, makePod(), snapshot, 'a')).toBe('skipped');
  });
});

describe('NodeUnschedulable', () => {
  const snapshot = ClusterSnapshot.of([
    makeNode('cordoned', { unschedulable: true }),
    makeNode('ok'),
  ]);
  it.each<[string, Pod, string, string[]]>([
    ['rejects a cordoned node', makePod(), 'cordoned', ['node(s) were unschedulable']],
    ['passes a schedulable node', makePod(), 'ok', []],
    [
      'admits a pod tolerating the unschedulable taint',
      makePod({
        spec: {
          tolerations: [
            { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
          ],
        },
      }),
      'cordoned',
      [],
    ],
  ])('%s', (_t, pod, node, reasons) => {
    expect(runFilter(NodeUnschedulable, pod, snapshot, node)).toEqual(reasons);
  });
});

describe('TaintToleration', () => {
  const snapshot = ClusterSnapshot.of([
    makeNode('master', { taints: [{ key: 'node-role', value: 'master', effect: 'NoSchedule' }] }),
    makeNode('noexec', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }),
    makeNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }),
  ]);
  it.each<[string, Pod['spec']['tolerations'], string, string[]]>([
    [
      'names the untolerated taint',
      undefined,
      'master',
      ['node(s) had untolerated taint {node-role: master}'],
    ],
    ['prints an empty value', undefined, 'noexec', ['node(s) had untolerated taint {dedicated: }']],
    ['ignores PreferNoSchedule', undefined, 'soft', []],
    [
      'Equal with the same value tolerates',
      [{ key: 'node-role', operator: 'Equal', value: 'master' }],
      'master',
      [],
    ],
    [
      'Equal with another value does not',
      [{ key: 'node-role', value: 'worker' }],
      'master',
      ['node(s) had untolerated taint {node-role: master}'],
    ],
    ['Exists on the key tolerates', [{ key: 'node-role', operator: 'Exists' }], 'master', []],
    ['empty key with Exists tolerates everything', [{ operator: 'Exists' }], 'noexec', []],
    [
      'a different effect does not tolerate',
      [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      'noexec',
      ['node(s) had untolerated taint {dedicated: }'],
    ],
  ])('%s', (_t, tolerations, node, reasons) => {
    expect(runFilter(TaintToleration, makePod({ spec: { tolerations } }), snapshot, node)).toEqual(
      reasons,
    );
  });
});

describe('NodePorts', () => {
  const used = makePod({ nodeName: 'n', ports: [{ containerPort: 80, hostPort: 8080 }] });
  const snapshot = ClusterSnapshot.of([makeNode('n')], [used]);
  const reason = ["node(s) didn't have free ports for the requested pod ports"];
  it.each<[string, Pod, string[] | 'skipped']>([
    [
      'same port and protocol conflict',
      makePod({ ports: [{ containerPort: 1, hostPort: 8080 }] }),
      reason,
    ],
    [
      'another protocol does not',
      makePod({ ports: [{ containerPort: 1, hostPort: 8080, protocol: 'UDP' }] }),
      [],
    ],
    [
      'a specific IP conflicts with 0.0.0.0',
      makePod({ ports: [{ containerPort: 1, hostPort: 8080, hostIP: '10.0.0.1' }] }),
      reason,
    ],
    ['another port is free', makePod({ ports: [{ containerPort: 1, hostPort: 9090 }] }), []],
    ['no host ports: skipped', makePod({ ports: [{ containerPort: 8080 }] }), 'skipped'],
  ])('%s', (_t, pod, expected) => {
    expect(runFilter(NodePorts, pod, snapshot, 'n')).toEqual(expected);
  });
});
