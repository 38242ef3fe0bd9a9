import type { Node, NodeStatus, ObjectMeta, Pod, PodSpec } from '@bosun/api-types';
import { isOurs, nodeSchedulingChanged, specChanged } from './pod-filters';

// Specs without containers: the filters never look at them.
const pod = (spec: Partial<PodSpec>, metadata: ObjectMeta = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', resourceVersion: '1', ...metadata },
  spec: spec as PodSpec,
});

const node = (status: NodeStatus, labels: Record<string, string> = {}): Node => ({
  metadata: { name: 'n', labels, resourceVersion: '1' },
  spec: {},
  status,
});

describe('pod and node filters', () => {
  it('takes unbound, live pods of its own scheduler name only', () => {
    expect(isOurs(pod({}), 'default-scheduler')).toBe(true);
    expect(isOurs(pod({ schedulerName: 'default-scheduler' }), 'default-scheduler')).toBe(true);
    expect(isOurs(pod({ schedulerName: 'other' }), 'default-scheduler')).toBe(false);
    expect(isOurs(pod({ nodeName: 'n1' }), 'default-scheduler')).toBe(false);
    expect(
      isOurs(pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), 'default-scheduler'),
    ).toBe(false);
  });

  it('ignores status-only pod updates (our own condition writes) but not spec or label changes', () => {
    const before = pod({ containers: [] });
    const statusOnly = {
      ...pod({ containers: [] }, { resourceVersion: '2' }),
      status: { conditions: [{ type: 'PodScheduled', status: 'False' }] },
    };
    expect(specChanged(before, statusOnly)).toBe(false);
    expect(specChanged(before, pod({ containers: [], nodeSelector: { a: 'b' } }))).toBe(true);
    expect(specChanged(before, pod({ containers: [] }, { labels: { app: 'x' } }))).toBe(true);
  });

  it('retries parked pods on node changes that matter, not on heartbeats', () => {
    const ready = (t: string) => ({
      allocatable: { cpu: '4' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: t }],
    });
    const base = node(ready('2026-01-01T00:00:00Z'));
    expect(nodeSchedulingChanged(base, node(ready('2026-01-01T00:00:10Z')))).toBe(false);
    expect(nodeSchedulingChanged(base, node({ ...ready('x'), allocatable: { cpu: '8' } }))).toBe(
      true,
    );
    expect(nodeSchedulingChanged(base, node(ready('x'), { zone: 'b' }))).toBe(true);
    const notReady = {
      allocatable: { cpu: '4' },
      conditions: [{ type: 'Ready', status: 'False' }],
    };
    expect(nodeSchedulingChanged(base, node(notReady))).toBe(true);
  });
});
