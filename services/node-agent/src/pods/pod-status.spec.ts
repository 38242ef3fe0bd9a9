import type { ContainerStatus as RuntimeContainer } from '@bosun/runtime';
import { buildPodStatus, type ContainerView } from './pod-status';
import type { Pod, RestartPolicy } from './pod-types';

const pod = (restartPolicy: RestartPolicy): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { restartPolicy, containers: [{ name: 'a', image: 'i' }] },
});

const run = (state: 'running' | 'exited', exitCode?: number): RuntimeContainer => ({
  id: `c-${state}-${exitCode ?? ''}`,
  sandboxId: 's',
  name: 'a',
  imageRef: 'i',
  state,
  exitCode,
  createdAt: 't0',
  startedAt: 't1',
  finishedAt: state === 'exited' ? 't2' : undefined,
  logPath: '/dev/null',
  labels: {},
});

const view = (v: Partial<ContainerView>): ContainerView => ({
  name: 'a',
  image: 'i',
  restartCount: 0,
  ready: true,
  started: true,
  ...v,
});

const status = (policy: RestartPolicy, v: Partial<ContainerView>) =>
  buildPodStatus({
    pod: pod(policy),
    init: [],
    containers: [view(v)],
    initialized: true,
    initFailed: false,
    hostIP: '10.0.0.1',
    startTime: 't0',
    now: 'now',
  });

describe('pod status', () => {
  it('is Pending with ContainerCreating before the container exists', () => {
    const s = status('Always', {});
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0]!.state.waiting!.reason).toBe('ContainerCreating');
  });

  it('is Running and Ready with a running container', () => {
    const s = status('Always', { latest: run('running') });
    expect(s.phase).toBe('Running');
    expect(s.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  });

  it('shows CrashLoopBackOff with the last run as lastState, and stays Running', () => {
    const s = status('Always', {
      latest: run('exited', 1),
      restartCount: 2,
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off' },
    });
    const cs = s.containerStatuses![0]!;
    expect(s.phase).toBe('Running');
    expect(cs.state.waiting!.reason).toBe('CrashLoopBackOff');
    expect(cs.lastState.terminated!.exitCode).toBe(1);
    expect(cs.ready).toBe(false);
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
  });

  it('ends Succeeded or Failed by restart policy', () => {
    expect(status('Never', { latest: run('exited', 0) }).phase).toBe('Succeeded');
    expect(status('Never', { latest: run('exited', 1) }).phase).toBe('Failed');
    expect(status('OnFailure', { latest: run('exited', 0) }).phase).toBe('Succeeded');
    expect(status('OnFailure', { latest: run('exited', 1) }).phase).toBe('Running');
  });

  it('keeps a condition transition time while its status holds', () => {
    const p = pod('Always');
    p.status = {
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'earlier' }],
    };
    const s = buildPodStatus({
      pod: p,
      init: [],
      containers: [view({ latest: run('running') })],
      initialized: true,
      initFailed: false,
      hostIP: 'h',
      startTime: 't',
      now: 'now',
    });
    expect(s.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('earlier');
    expect(s.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime).toBe('now');
  });
});
