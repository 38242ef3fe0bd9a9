import pino from 'pino';
import { ErrorCode } from '@bosun/common';
import {
  openStore,
  type EventLog,
  type ResourceType,
  type Store,
  type StoreEvent,
} from '@bosun/store';
import { createTestSchema, waitFor, type TestSchema } from '@bosun/testing';
import { WatchHub, type WatchHubOptions, type WatchSink } from '../src/watch/watch-hub';

const CMS: ResourceType = { group: '', resource: 'configmaps', namespaced: true };
const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** A sink that records what it is given (and whether it was failed). */
function recorder(): WatchSink & { events: StoreEvent[]; failed: unknown[] } {
  const events: StoreEvent[] = [];
  const failed: unknown[] = [];
  return {
    events,
    failed,
    matches: () => true,
    push: (e) => void events.push(e),
    fail: (e) => void failed.push(e),
  };
}

/**
 * The store seen through a fault: commit notifications that never arrive (a half-open LISTEN
 * connection) and reads that fail while `failing` is set.
 */
interface Faults {
  notify: boolean;
  failing: boolean;
  failures: number;
}

function faulty(store: Store, faults: Faults): EventLog {
  return {
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    readEvents: (...a: Parameters<EventLog['readEvents']>) => {
      if (faults.failing) {
        faults.failures++;
        return Promise.reject(new Error('connection reset'));
      }
      return store.readEvents(...a);
    },
    onCommit: (fn) => store.onCommit((rev) => faults.notify && fn(rev)),
  } as EventLog;
}

describe('WatchHub (integration: Postgres)', () => {
  let schema: TestSchema;
  let store: Store;
  const hubs: WatchHub[] = [];
  beforeAll(async () => {
    schema = await createTestSchema('hub');
    store = await openStore({ url: schema.url, schema: schema.schema, poolSize: 4 });
  }, 30_000);
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => {
    await store?.close();
    await schema?.drop();
  });

  async function startHub(log_: EventLog, opts: WatchHubOptions): Promise<WatchHub> {
    const hub = new WatchHub(log_, log, opts);
    await hub.start();
    hubs.push(hub);
    return hub;
  }
  const create = async (name: string): Promise<number> =>
    Number(
      (await store.create(CMS, { metadata: { name, namespace: 'ns' } })).metadata.resourceVersion,
    );

  it('still delivers every commit when no notification ever arrives (a half-open LISTEN connection)', async () => {
    const hub = await startHub(faulty(store, { notify: false, failing: false, failures: 0 }), {
      pollMs: 50,
    });
    const sink = recorder();
    await hub.follow(hub.revision, {}, sink);
    const revs = [await create('silent-1'), await create('silent-2')];
    await waitFor(() => sink.events.length === 2, { what: 'both events without a notification' });
    expect(sink.events.map((e) => e.revision)).toEqual(revs);
  });

  it('recovers from a failed read without waiting for another commit', async () => {
    const faults: Faults = { notify: true, failing: false, failures: 0 };
    const hub = await startHub(faulty(store, faults), { pollMs: 50 });
    const sink = recorder();
    await hub.follow(hub.revision, {}, sink);
    faults.failing = true;
    const rev = await create('after-failure');
    const before = faults.failures;
    await waitFor(() => faults.failures > before, { what: 'a read to fail after the commit' });
    faults.failing = false; // and no commit follows
    await waitFor(() => sink.events.length === 1, { what: 'the event after the failed read' });
    expect(sink.events[0].revision).toBe(rev);
  });

  it('ends only the watcher whose push throws; the others still get the event', async () => {
    const hub = await startHub(store, { pollMs: 60_000 });
    const thrower: WatchSink & { failed: unknown[] } = {
      failed: [],
      matches: () => true,
      push: () => {
        throw new Error('client went away mid-write');
      },
      fail(e) {
        this.failed.push(e);
      },
    };
    const [a, b] = [recorder(), recorder()];
    await hub.follow(hub.revision, {}, thrower); // registered first: offered the event first
    await hub.follow(hub.revision, {}, a);
    await hub.follow(hub.revision, {}, b);
    const rev = await create('isolated-1');
    await waitFor(() => a.events.length === 1 && b.events.length === 1, {
      what: 'the healthy watchers to get the event',
    });
    expect([a.events[0].revision, b.events[0].revision]).toEqual([rev, rev]);
    expect(thrower.failed).toHaveLength(1);
    expect(hub.watcherCount).toBe(2);
    const next = await create('isolated-2');
    await waitFor(() => a.events.length === 2 && b.events.length === 2, { what: 'the next event' });
    expect(b.events[1].revision).toBe(next);
    expect(thrower.failed).toHaveLength(1);
  });

  it('answers a revision past the head with "Too large resource version" once the wait ends', async () => {
    const hub = await startHub(store, { freshWaitMs: 100 });
    const head = await store.currentRevision();
    await expect(hub.awaitRevision(head + 100)).rejects.toMatchObject({
      code: ErrorCode.Timeout,
      message: `Timeout: Too large resource version: ${head + 100}, current: ${head}`,
      context: expect.objectContaining({ retryAfterSeconds: 1 }),
      causes: [
        { field: '', reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
      ],
    });
  });

  it('lets a request for the next revision through once it is committed', async () => {
    const hub = await startHub(store, { freshWaitMs: 30_000 });
    const waiting = hub.awaitRevision((await store.currentRevision()) + 1);
    await create('awaited');
    await expect(waiting).resolves.toBeUndefined();
  });
});
