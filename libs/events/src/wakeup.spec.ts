import { Wakeup } from './wakeup';
import { Backoff } from './nats-connection';

describe('Wakeup', () => {
  it('returns at once when woken before the wait (a hint is never lost)', async () => {
    const w = new Wakeup();
    w.wake();
    let done = false;
    const p = w.wait(60_000).then(() => (done = true));
    await Promise.resolve();
    await p;
    expect(done).toBe(true);
  });

  it('returns when woken during the wait', async () => {
    const w = new Wakeup();
    const p = w.wait(60_000);
    w.wake();
    await expect(p).resolves.toBeUndefined();
  });

  it('returns after the period when nobody wakes it', async () => {
    await expect(new Wakeup().wait(1)).resolves.toBeUndefined();
  });
});

describe('Backoff', () => {
  it('doubles up to its ceiling and starts over after reset', () => {
    const b = new Backoff(100, 500);
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 500]);
    b.reset();
    expect(b.next()).toBe(100);
  });
});
