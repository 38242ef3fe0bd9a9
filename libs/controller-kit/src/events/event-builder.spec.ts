import { formatTime } from '../kube-time';
import { buildEvent, referenceTo } from './event-builder';

const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod', uid: 'u1', resourceVersion: '7' },
};

describe('buildEvent', () => {
  it('builds a core/v1 Event as client-go does: count 1, second-precision times, name.<hex>', () => {
    const e = buildEvent(
      { involvedObject: referenceTo(pod), type: 'Normal', reason: 'Scheduled', message: 'ok' },
      { source: { component: 'default-scheduler' }, instance: 'sched-1' },
      at,
    );
    expect(e).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: expect.stringMatching(/^web\.[0-9a-f]{16}$/), namespace: 'prod' },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'prod',
        name: 'web',
        uid: 'u1',
        resourceVersion: '7',
      },
      reason: 'Scheduled',
      message: 'ok',
      type: 'Normal',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'sched-1',
      firstTimestamp: '2026-01-02T03:04:05Z',
      lastTimestamp: '2026-01-02T03:04:05Z',
      count: 1,
    });
    // The suffix is the time in nanoseconds, as Kubernetes writes it.
    const suffix = BigInt(`0x${e.metadata.name.split('.')[1]}`);
    expect(suffix / 1_000_000n).toBe(BigInt(at));
  });

  it('puts cluster-scoped objects in default, and carries host, action and fieldPath', () => {
    const e = buildEvent(
      {
        involvedObject: referenceTo(
          { metadata: { name: 'node-1' } },
          { kind: 'Node', fieldPath: 'status' },
        ),
        type: 'Warning',
        reason: 'NodeHasDiskPressure',
        message: 'disk',
        action: 'Evicting',
      },
      { source: { component: 'kubelet', host: 'node-1' } },
      at,
    );
    expect(e.metadata.namespace).toBe('default');
    expect(e.involvedObject).toEqual({ kind: 'Node', name: 'node-1', fieldPath: 'status' });
    expect(e.source).toEqual({ component: 'kubelet', host: 'node-1' });
    expect(e.reportingInstance).toBe('node-1');
    expect(e.action).toBe('Evicting');
  });

  it('gives two Events in the same millisecond different names', () => {
    const input = { involvedObject: { name: 'x' }, type: 'Normal', reason: 'R', message: 'm' };
    const names = new Set(
      Array.from(
        { length: 50 },
        () => buildEvent(input as never, { source: { component: 'c' } }, at).metadata.name,
      ),
    );
    expect(names.size).toBe(50);
  });

  it('formats metav1.Time to the second', () => {
    expect(formatTime(at)).toBe('2026-01-02T03:04:05Z');
  });
});
