import { Registry } from 'prom-client';
import { ItemExponentialBackoff, TokenBucket } from './rate-limiters';
import { FakeClock } from './testing/fake-clock';
import { WorkQueue } from './work-queue';

function newQueue(clock = new FakeClock(), registry = new Registry()) {
  return { clock, registry, queue: new WorkQueue({ name: 'test', clock, registry }) };
}

describe('WorkQueue', () => {
  it('processes a key queued twice only once', () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.length).toBe(2);
    expect([queue.tryGet(), queue.tryGet(), queue.tryGet()]).toEqual(['a', 'b', undefined]);
  });

  it('re-queues a key re-added while being processed only after done', () => {
    const { queue } = newQueue();
    queue.add('a');
    const key = queue.tryGet()!;
    queue.add('a');
    expect(queue.tryGet()).toBeUndefined();
    queue.done(key);
    expect(queue.tryGet()).toBe('a');
  });

  it('hands a key to a waiting getter and releases getters on shutdown', async () => {
    const { queue } = newQueue();
    const first = queue.get();
    queue.add('a');
    await expect(first).resolves.toBe('a');
    const second = queue.get();
    queue.shutDown();
    await expect(second).resolves.toBeUndefined();
    queue.add('b');
    expect(queue.length).toBe(0);
  });

  it('adds a delayed key when the clock reaches it, keeping the earliest of two delays', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 80);
    await clock.advance(49);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.tryGet()).toBe('a');
    await clock.advance(100);
    expect(queue.length).toBe(0);
  });

  it('backs off a failing key exponentially until forgotten', async () => {
    const { queue, clock } = newQueue();
    const readyAfter: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      queue.addRateLimited('a');
      while (queue.length === 0) await clock.advance(1);
      readyAfter.push(clock.now() - start);
      queue.done(queue.tryGet()!);
    }
    expect(readyAfter).toEqual([5, 10, 20, 40]);
    expect(queue.numRequeues('a')).toBe(4);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
  });

  it('reports its depth as a prom-client gauge', async () => {
    const { queue, registry } = newQueue();
    queue.add('a');
    queue.add('b');
    const depth = await registry.getSingleMetric('bosun_workqueue_depth')!.get();
    expect(depth.values).toEqual([{ labels: { name: 'test' }, value: 2 }]);
  });
});

describe('rate limiters', () => {
  it('item back-off doubles from 5 ms and caps at 1000 s', () => {
    const limiter = new ItemExponentialBackoff();
    const delays = Array.from({ length: 30 }, () => limiter.when('k'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays.at(-1)).toBe(1_000_000);
    expect(limiter.when('other')).toBe(5);
  });

  it('token bucket lets a burst through, then spaces callers at its rate, and refills', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    expect([bucket.when('a'), bucket.when('b'), bucket.when('c')]).toEqual([0, 0, 0]);
    expect([bucket.when('d'), bucket.when('e')]).toEqual([100, 200]);
    await clock.advance(10_000);
    expect(bucket.when('f')).toBe(0);
  });
});
