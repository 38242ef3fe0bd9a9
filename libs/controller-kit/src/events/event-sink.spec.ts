import pino from 'pino';
import { EventSink } from './event-sink';

describe('EventSink', () => {
  it('writes with bounded concurrency, drops past its buffer, and drains', async () => {
    const sink = new EventSink(pino({ level: 'silent' }), { maxQueued: 3, concurrency: 2 });
    const release: Array<() => void> = [];
    const written: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const write = (i: number) => () =>
      new Promise<void>((resolve) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        release.push(() => {
          inFlight--;
          written.push(i);
          resolve();
        });
      });
    for (let i = 0; i < 7; i++) sink.record(write(i));
    // 2 in flight, 3 queued, 2 dropped.
    expect(sink.pending).toBe(5);
    expect(sink.dropped).toBe(2);
    const drained = sink.drained();
    while (release.length > 0 || sink.pending > 0) {
      release.shift()?.();
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await drained;
    expect(written).toEqual([0, 1, 2, 3, 4]);
    expect(maxInFlight).toBe(2);
  });

  it('keeps going after a failed write', async () => {
    const sink = new EventSink(pino({ level: 'silent' }));
    const done: string[] = [];
    sink.record(async () => {
      throw new Error('api-server away');
    });
    sink.record(async () => {
      done.push('second');
    });
    await sink.drained();
    expect(done).toEqual(['second']);
  });
});
