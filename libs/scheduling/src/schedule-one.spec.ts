import { testing } from '@bosun/controller-kit';
import { BosunError, ErrorCode } from '@bosun/common';
import { makeNode, makePod } from '../test/fixtures';
import { AssumeCache } from './assume-cache';
import { ClusterSnapshot } from './cluster-snapshot';
import { scheduleOne, type Binder } from './schedule-one';
import { SchedulingQueue } from './scheduling-queue';
import type { Pod } from './types';

function setup(bind: Binder['bind']) {
  const clock = new testing.FakeClock();
  const snapshot = ClusterSnapshot.of([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' })]);
  const queue = new SchedulingQueue({ clock });
  const assumeCache = new AssumeCache(snapshot, { clock });
  const failures: string[] = [];
  const deps = {
    queue,
    snapshot,
    assumeCache,
    binder: { bind },
    onUnschedulable: (pod: Pod, e: Error) => failures.push(`${pod.metadata.name}: ${e.message}`),
  };
  return { clock, snapshot, queue, assumeCache, deps, failures };
}

describe('scheduleOne', () => {
  it('places, assumes and binds pods until nodes are full, then parks the rest with the reason', async () => {
    const bound: string[] = [];
    const s = setup(async (pod, node) => void bound.push(`${pod.metadata.name}->${node}`));
    for (const name of ['p1', 'p2', 'p3']) s.queue.add(makePod({ name, cpu: '1' }));
    const results = [
      await scheduleOne(s.deps),
      await scheduleOne(s.deps),
      await scheduleOne(s.deps),
    ];
    await Promise.all(results.map((r) => (r.outcome === 'assumed' ? r.binding : undefined)));
    expect(results.map((r) => r.outcome)).toEqual(['assumed', 'assumed', 'unschedulable']);
    expect(bound.map((b) => b.split('->')[1]).sort()).toEqual(['a', 'b']);
    expect(s.failures).toEqual([
      'p3: 0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: ' +
        '2 No preemption victims found for incoming pod.',
    ]);
    expect(s.queue.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    expect(s.assumeCache.size).toBe(2);
  });

  it('gives the room back and backs off when the bind fails', async () => {
    const s = setup(async () => {
      throw new BosunError(ErrorCode.Conflict, 'pod already bound');
    });
    s.queue.add(makePod({ name: 'p', cpu: '1' }));
    const result = await scheduleOne(s.deps);
    expect(result.outcome).toBe('assumed');
    await expect((result as { binding: Promise<boolean> }).binding).resolves.toBe(false);
    expect(s.assumeCache.size).toBe(0);
    expect(s.snapshot.get('a')!.requested.milliCPU + s.snapshot.get('b')!.requested.milliCPU).toBe(
      0,
    );
    expect(s.queue.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('reports closed once the queue is closed', async () => {
    const s = setup(async () => undefined);
    s.queue.close();
    expect(await scheduleOne(s.deps)).toEqual({ outcome: 'closed' });
  });
});
