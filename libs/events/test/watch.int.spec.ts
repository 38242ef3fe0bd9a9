import { createLogger, ErrorCode, isBosunError, type BosunError } from '@bosun/common';
import type { Filter, Store, StoreEvent } from '@bosun/store';
import { natsUrl, waitFor } from '@bosun/testing';
import { startRelay, type Relay } from '../src/relay';
import { watch, type Watch } from '../src/watch';
import { connectNats } from '../src/nats-connection';
import { eventPredicate } from '../src/selectors';
import {
  Collector,
  concurrentWriters,
  DEPLOYMENTS,
  NODES,
  PODS,
  writeMany,
  testPrefix,
  deleteTestStreams,
} from './helpers';
import { TestStores } from './real-store';

const logger = createLogger('watch-test', process.env.LOG_LEVEL ?? 'warn');

/** What a watch with `filter` from `from` must have received: the log, filtered, in order. */
async function expectedFromLog(store: Store, from: number, filter: Filter): Promise<number[]> {
  const all = await store.readEvents(from, {}, 1_000_000);
  const match = eventPredicate(filter);
  return all.filter((e: StoreEvent) => match(e)).map((e) => e.revision);
}

describe('watch (integration: Postgres + NATS)', () => {
  afterAll(() => deleteTestStreams());
  let stores: TestStores;
  let store: Store;
  let relay: Relay;
  let prefix: string;
  const watches: Watch[] = [];
  beforeEach(async () => {
    stores = await TestStores.create();
    store = await stores.open();
    prefix = testPrefix();
    relay = startRelay({ store, natsUrl: natsUrl(), prefix, logger });
  });
  afterEach(async () => {
    await Promise.all(watches.splice(0).map((w) => w.stop()));
    await relay.stop();
    await stores.close();
  });

  const start = (from: number, filter: Filter = {}) => {
    const got = new Collector();
    const w = watch({
      store,
      natsUrl: natsUrl(),
      prefix,
      from,
      filter,
      onEvent: got.onEvent,
      logger,
    });
    watches.push(w);
    return { got, w };
  };

  it('delivers exactly the matching events once, in order, from 0 and from a middle revision, under concurrent writers', async () => {
    await writeMany(store, PODS, 'a', 'early', 20, { app: 'web' });
    await writeMany(store, DEPLOYMENTS, 'a', 'early', 10, { app: 'web' });
    await writeMany(store, NODES, '', 'n', 5);
    const middle = await store.currentRevision();
    await writeMany(store, PODS, 'b', 'mid', 10, { app: 'db' });
    const filters: [number, Filter][] = [
      [0, {}],
      [middle, {}],
      [0, { resource: 'pods' }],
      [middle, { resource: 'pods', namespace: 'b' }],
      [0, { group: 'apps', resource: 'deployments' }],
      [0, { resource: 'nodes', namespace: '' }],
      [0, { resource: 'pods', labelSelector: 'parity=even' }],
      [10, { labelSelector: 'app in (web,db),writer!=1' }],
      [0, { resource: 'pods', namespace: 'ns', labelSelector: 'writer=2,parity!=odd' }],
      [0, { resource: 'pods', fieldSelector: 'metadata.namespace=b,metadata.name!=mid-3' }],
    ];
    const running = filters.map(([from, filter]) => ({ from, filter, ...start(from, filter) }));
    const writers = concurrentWriters(store, 4);
    await waitFor(() => writers.acked.length >= 400, {
      timeoutMs: 30_000,
      what: '400 concurrent writes',
    });
    await writeMany(store, DEPLOYMENTS, 'a', 'late', 10, { app: 'web' });
    await writers.stop();
    const head = await store.currentRevision();
    await writeMany(store, PODS, 'ns', 'marker', 1, { writer: '2', parity: 'even', app: 'web' });
    for (const r of running) {
      const expected = await expectedFromLog(store, r.from, r.filter);
      expect(expected.length).toBeGreaterThan(0);
      await waitFor(() => r.got.events.length >= expected.length, {
        timeoutMs: 20_000,
        what: `watch ${JSON.stringify(r.filter)} from ${r.from} to receive ${expected.length}`,
      });
      expect(r.got.revisions()).toEqual(expected);
    }
    expect(head).toBeGreaterThan(400);
    // The live path was used, not only the Postgres fallback.
    expect(running[0].w.stats().fromNats).toBeGreaterThan(0);
  }, 90_000);

  it('answers Gone for a `from` below the compaction horizon', async () => {
    await writeMany(store, PODS, 'a', 'p', 30);
    const { compactedRevision } = await store.compact({ keepRevisions: 10 });
    expect(compactedRevision).toBeGreaterThan(5);
    const errors: BosunError[] = [];
    const w = watch({
      store,
      natsUrl: natsUrl(),
      prefix,
      from: 1,
      onEvent: () => undefined,
      onError: (e) => errors.push(e),
      logger,
    });
    await w.done;
    expect(errors).toHaveLength(1);
    expect(isBosunError(errors[0], ErrorCode.Gone)).toBe(true);
    // At the horizon itself it works.
    const { got } = start(compactedRevision);
    await got.waitForRevision(30);
    expect(got.revisions()[0]).toBe(compactedRevision + 1);
  }, 90_000);

  it('lets many watches share one NATS connection, which they never close', async () => {
    const nc = await connectNats(natsUrl(), 'shared-test');
    try {
      const mk = (namespace: string) => {
        const got = new Collector();
        const w = watch({
          store,
          natsUrl: '',
          connection: nc,
          prefix,
          from: 0,
          filter: { namespace },
          onEvent: got.onEvent,
          logger,
        });
        return { got, w };
      };
      const [a, b] = [mk('a'), mk('b')];
      await waitFor(() => a.w.isLive() && b.w.isLive(), {
        timeoutMs: 30_000,
        what: 'both watches live',
      });
      await a.w.stop();
      const revs = await writeMany(store, PODS, 'b', 'p', 20);
      await b.got.waitForRevision(revs[revs.length - 1]);
      expect(b.got.revisions()).toEqual(revs);
      expect(b.w.stats().fromNats).toBeGreaterThan(0);
      await b.w.stop();
      expect(nc.isClosed()).toBe(false);
    } finally {
      await nc.close();
    }
  }, 90_000);

  it('rejects a malformed label selector at once', () => {
    expect(() =>
      watch({
        store,
        natsUrl: natsUrl(),
        prefix,
        from: 0,
        filter: { labelSelector: 'a in (' },
        onEvent: () => undefined,
      }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });
});
