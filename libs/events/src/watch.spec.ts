import { createLogger, ErrorCode, type BosunError } from '@bosun/common';
import type { StoreEvent } from '@bosun/store';
import { waitFor } from '@bosun/testing';
import { FakeStore } from '../test/fake-store';
import { PODS, range, writeMany } from '../test/helpers';
import { watch } from './watch';
import { watchIterator } from './watch-iterator';

// Nothing listens on port 1: NATS is "down" for the whole test, so only the Postgres path runs.
const NO_NATS = 'nats://127.0.0.1:1';
const logger = createLogger('watch-unit', 'silent');

describe('watch with NATS unreachable (in-memory store)', () => {
  it('delivers every matching event once, in order, by polling the log', async () => {
    const store = new FakeStore();
    await writeMany(store, PODS, 'a', 'p', 5);
    await writeMany(store, PODS, 'b', 'p', 5);
    const got: number[] = [];
    const w = watch({
      store,
      natsUrl: NO_NATS,
      from: 2,
      filter: { namespace: 'a' },
      logger,
      onEvent: (e) => void got.push(e.revision),
    });
    await writeMany(store, PODS, 'a', 'q', 5);
    await waitFor(() => got.length === 8, { what: '8 events' });
    await w.stop();
    expect(got).toEqual([3, 4, 5, 11, 12, 13, 14, 15]);
    expect(w.lastRevision()).toBe(15);
    expect(w.isLive()).toBe(false);
    expect(w.stats()).toMatchObject({ fromNats: 0, fromLog: 8, feedsOpened: 0 });
  });

  it('ends with Gone when `from` is below the compaction horizon', async () => {
    const store = new FakeStore();
    store.db.compacted = 10;
    const errors: BosunError[] = [];
    const w = watch({
      store,
      natsUrl: NO_NATS,
      from: 3,
      logger,
      onEvent: () => undefined,
      onError: (e) => errors.push(e),
    });
    await w.done;
    expect(errors.map((e) => e.code)).toEqual([ErrorCode.Gone]);
  });

  it('ends when the handler throws, without delivering past the failed event', async () => {
    const store = new FakeStore();
    await writeMany(store, PODS, 'a', 'p', 5);
    const errors: BosunError[] = [];
    const seen: number[] = [];
    const w = watch({
      store,
      natsUrl: NO_NATS,
      from: 0,
      logger,
      onEvent: (e: StoreEvent) => {
        seen.push(e.revision);
        if (e.revision === 3) throw new Error('boom');
      },
      onError: (e) => errors.push(e),
    });
    await w.done;
    expect(seen).toEqual([1, 2, 3]);
    expect(w.lastRevision()).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('works as an async iterator that stops when the loop breaks', async () => {
    const store = new FakeStore();
    await writeMany(store, PODS, 'a', 'p', 20);
    const it = watchIterator({ store, natsUrl: NO_NATS, from: 5, logger, highWaterMark: 3 });
    const got: number[] = [];
    for await (const e of it) {
      got.push(e.revision);
      if (e.revision === 20) break;
    }
    expect(got).toEqual(range(6, 20));
    expect(it.lastRevision()).toBe(20);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('throws Gone from the iterator', async () => {
    const store = new FakeStore();
    store.db.compacted = 10;
    const it = watchIterator({ store, natsUrl: NO_NATS, from: 3, logger });
    await expect(it.next()).rejects.toMatchObject({ code: ErrorCode.Gone });
  });
});
