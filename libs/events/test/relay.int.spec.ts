import { createLogger } from '@bosun/common';
import { natsUrl, waitFor } from '@bosun/testing';
import { connect, type NatsConnection } from 'nats';
import { startRelay, type Relay } from '../src/relay';
import {
  concurrentWriters,
  deleteTestStreams,
  PODS,
  range,
  streamEvents,
  streamRevisions,
  testPrefix,
  writeMany,
} from './helpers';
import { TestStores } from './real-store';

const logger = createLogger('relay-test', process.env.LOG_LEVEL ?? 'warn');

describe('relay (integration: Postgres + NATS)', () => {
  afterAll(() => deleteTestStreams());
  let stores: TestStores;
  let nc: NatsConnection;
  const relays: Relay[] = [];
  beforeEach(async () => {
    stores = await TestStores.create();
    nc = await connect({ servers: natsUrl() });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await nc.close();
    await stores.close();
  });

  it('publishes every committed revision in order with no gap while writers run concurrently', async () => {
    const prefix = testPrefix();
    const store = await stores.open();
    relays.push(startRelay({ store, natsUrl: natsUrl(), prefix, logger }));
    const writers = concurrentWriters(store, 4);
    await waitFor(() => writers.acked.length >= 300, { timeoutMs: 20_000, what: '300 writes' });
    await writers.stop();
    const head = await store.currentRevision();
    await waitFor(() => relays[0].lastPublished() === head, {
      timeoutMs: 30_000,
      what: `relay to reach ${head}`,
    });
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, head));
  }, 90_000);

  it('lets only one of two relays publish: the stream holds each revision once', async () => {
    const prefix = testPrefix();
    const [a, b] = [await stores.open(), await stores.open()];
    relays.push(startRelay({ store: a, natsUrl: natsUrl(), prefix, logger }));
    relays.push(startRelay({ store: b, natsUrl: natsUrl(), prefix, logger }));
    const writers = concurrentWriters(a, 2);
    await waitFor(() => writers.acked.length >= 200, { timeoutMs: 20_000, what: '200 writes' });
    await writers.stop();
    const head = await a.currentRevision();
    await waitFor(() => Math.max(...relays.map((r) => r.lastPublished())) === head, {
      timeoutMs: 30_000,
      what: 'the leader to publish everything',
    });
    expect(relays.filter((r) => r.isLeader())).toHaveLength(1);
    expect(relays.filter((r) => r.lastPublished() > 0)).toHaveLength(1);
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, head));
  }, 90_000);

  it('hands over to the follower when the leader stops, which continues where it stopped', async () => {
    const prefix = testPrefix();
    const [a, b] = [await stores.open(), await stores.open()];
    const first = startRelay({ store: a, natsUrl: natsUrl(), prefix, logger });
    await waitFor(() => first.isLeader(), { timeoutMs: 30_000, what: 'first relay to lead' });
    const second = startRelay({ store: b, natsUrl: natsUrl(), prefix, logger, leaderRetryMs: 200 });
    relays.push(second);
    const writers = concurrentWriters(b, 3);
    await waitFor(() => first.lastPublished() >= 100, {
      timeoutMs: 20_000,
      what: 'first relay to publish 100',
    });
    await first.stop();
    const stoppedAt = first.lastPublished();
    await waitFor(() => second.lastPublished() > stoppedAt + 50, {
      timeoutMs: 20_000,
      what: 'the follower to take over',
    });
    await writers.stop();
    const head = await b.currentRevision();
    await waitFor(() => second.lastPublished() === head, {
      timeoutMs: 30_000,
      what: `follower to reach ${head}`,
    });
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, head));
  }, 90_000);

  it('takes over when the database session of the leader dies (lease lost) without duplicating', async () => {
    const prefix = testPrefix();
    const [a, b] = [await stores.open(), await stores.open()];
    const first = startRelay({ store: a, natsUrl: natsUrl(), prefix, logger });
    relays.push(first);
    await waitFor(() => first.isLeader(), { timeoutMs: 30_000, what: 'first relay to lead' });
    const second = startRelay({ store: b, natsUrl: natsUrl(), prefix, logger, leaderRetryMs: 200 });
    relays.push(second);
    const writers = concurrentWriters(b, 3);
    await waitFor(() => first.lastPublished() >= 100, {
      timeoutMs: 20_000,
      what: 'first relay to publish 100',
    });
    expect(await stores.killLeaderSession('relay')).toBe(1); // as if the leader process died
    await waitFor(() => !first.isLeader(), {
      timeoutMs: 30_000,
      what: 'the leader to notice its lease is lost',
    });
    await first.stop();
    await waitFor(() => second.isLeader(), { timeoutMs: 20_000, what: 'the follower to lead' });
    await writers.stop();
    const head = await b.currentRevision();
    await waitFor(() => second.lastPublished() === head, {
      timeoutMs: 30_000,
      what: `follower to reach ${head}`,
    });
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, head));
  }, 90_000);

  it('re-creates a stream that is ahead of the log (a restored database) and republishes the log', async () => {
    const prefix = testPrefix();
    const before = await stores.open();
    const first = startRelay({ store: before, natsUrl: natsUrl(), prefix, logger });
    relays.push(first);
    await writeMany(before, PODS, 'ns', 'old', 30);
    await waitFor(() => first.lastPublished() === 30, { timeoutMs: 30_000, what: 'relay to 30' });
    await first.stop();
    // The "restored" database: an older copy of the log, here a schema holding fewer revisions.
    const restoredStores = await TestStores.create();
    try {
      const restored = await restoredStores.open();
      await writeMany(restored, PODS, 'ns', 'new', 10);
      const second = startRelay({ store: restored, natsUrl: natsUrl(), prefix, logger });
      relays.push(second);
      await writeMany(restored, PODS, 'ns', 'later', 5);
      await waitFor(() => second.lastPublished() === 15, {
        timeoutMs: 30_000,
        what: `the relay to publish the restored log (at ${second.lastPublished()})`,
      });
      expect(await streamRevisions(nc, prefix)).toEqual(range(1, 15));
      const names = (await streamEvents(nc, prefix)).map((e) => e.key.name);
      expect(names.every((n) => n.startsWith('new-') || n.startsWith('later-'))).toBe(true);
      await second.stop();
    } finally {
      await restoredStores.close();
    }
  }, 90_000);

  it('republishes from the compaction horizon when the checkpoint is ahead of the log', async () => {
    const prefix = testPrefix();
    const store = await stores.open();
    await writeMany(store, PODS, 'ns', 'p', 10);
    await store.setCheckpoint('relay', 500); // left by a newer log than the one restored
    relays.push(startRelay({ store, natsUrl: natsUrl(), prefix, logger }));
    await waitFor(() => relays[0].lastPublished() === 10, {
      timeoutMs: 30_000,
      what: `the relay to publish the log (at ${relays[0].lastPublished()})`,
    });
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, 10));
  }, 90_000);
});
