import { testing } from '@bosun/controller-kit';
import { makePod } from '../test/fixtures';
import { ClusterEvent, SchedulingQueue } from './scheduling-queue';

function setup() {
  const clock = new testing.FakeClock();
  return { clock, queue: new SchedulingQueue({ clock }) };
}

const names = (q: SchedulingQueue) => {
  const out: string[] = [];
  for (let p = q.tryPop(); p; p = q.tryPop()) out.push(p.pod.metadata.name!);
  return out;
};

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', async () => {
    const { queue, clock } = setup();
    queue.add(makePod({ name: 'low-old', spec: { priority: 0 } }));
    await clock.advance(10);
    queue.add(makePod({ name: 'high', spec: { priority: 100 } }));
    queue.add(makePod({ name: 'low-new', spec: { priority: 0 } }));
    queue.add(makePod({ name: 'low-newest' }));
    expect(names(queue)).toEqual(['high', 'low-old', 'low-new', 'low-newest']);
  });

  it('wakes a waiting pop when a pod arrives, and resolves undefined on close', async () => {
    const { queue } = setup();
    const next = queue.pop();
    queue.add(makePod({ name: 'p' }));
    expect((await next)!.pod.metadata.name).toBe('p');
    const pending = queue.pop();
    queue.close();
    await expect(pending).resolves.toBeUndefined();
  });

  it('backs a failed pod off 1 s, doubling per attempt up to 10 s', async () => {
    const { queue, clock } = setup();
    queue.add(makePod({ name: 'p' }));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const info = queue.tryPop()!;
      expect(info.attempts).toBe(attempt);
      queue.addBackoff(info);
      const failedAt = clock.now();
      while (queue.lengths().active === 0) {
        await clock.advance(100);
        queue.flush();
      }
      waits.push(clock.now() - failedAt);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('parks unschedulable pods until a cluster event, then retries them after their back-off', async () => {
    const { queue, clock } = setup();
    queue.add(makePod({ name: 'p' }));
    const info = queue.tryPop()!;
    queue.addUnschedulable(info, queue.schedulingCycle, new Set(['NodeResourcesFit']));
    await clock.advance(60_000);
    queue.flush();
    expect(queue.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    queue.onClusterEvent(ClusterEvent.NodeAdd);
    expect(queue.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
    expect(queue.tryPop()!.attempts).toBe(2);
  });

  it('sends a pod to back-off, not to the parking lot, when an event came during its attempt', () => {
    const { queue } = setup();
    queue.add(makePod({ name: 'p' }));
    const info = queue.tryPop()!;
    const cycle = queue.schedulingCycle;
    queue.onClusterEvent(ClusterEvent.AssignedPodDelete);
    queue.addUnschedulable(info, cycle);
    expect(queue.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('a cluster event moves a parked pod still backing off into backoffQ', () => {
    const { queue } = setup();
    queue.add(makePod({ name: 'p' }));
    queue.addUnschedulable(queue.tryPop()!, queue.schedulingCycle);
    queue.onClusterEvent(ClusterEvent.NodeUpdate);
    expect(queue.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('flushes pods parked longer than 5 minutes', async () => {
    const { queue, clock } = setup();
    queue.add(makePod({ name: 'p' }));
    queue.addUnschedulable(queue.tryPop()!, queue.schedulingCycle);
    await clock.advance(5 * 60_000 - 1);
    queue.flush();
    expect(queue.lengths().unschedulable).toBe(1);
    await clock.advance(1);
    queue.flush();
    expect(queue.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('retries a parked pod when the pod itself changes, and forgets deleted pods', async () => {
    const { queue, clock } = setup();
    const pod = makePod({ name: 'p' });
    queue.add(pod);
    queue.addUnschedulable(queue.tryPop()!, queue.schedulingCycle);
    await clock.advance(1000);
    queue.update({ ...pod, spec: { ...pod.spec, nodeSelector: {} } });
    expect(queue.lengths().active).toBe(1);
    queue.delete(pod);
    expect(queue.tryPop()).toBeUndefined();
  });

  it('runs its own flush timer on the clock', async () => {
    const { queue, clock } = setup();
    queue.run();
    queue.add(makePod({ name: 'p' }));
    queue.addBackoff(queue.tryPop()!);
    const next = queue.pop();
    await clock.advance(1000);
    expect((await next)!.pod.metadata.name).toBe('p');
    queue.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
