import { natsUrl, waitFor } from '@bosun/testing';
import { connect } from 'nats';
import { createLogger } from '@bosun/common';
import { startRelay } from '../src/relay';
import { watch } from '../src/watch';
import { FakeStore } from './fake-store';
import {
  Collector,
  PODS,
  range,
  streamRevisions,
  writeMany,
  testPrefix,
  deleteTestStreams,
} from './helpers';

const logger = createLogger('events-test', process.env.LOG_LEVEL ?? 'warn');

describe('relay and watch over real NATS with an in-memory store (integration: NATS)', () => {
  afterAll(() => deleteTestStreams());
  it('publishes the log in order and a watch from 0 sees every event once', async () => {
    const prefix = testPrefix();
    const store = new FakeStore();
    const relay = startRelay({ store, natsUrl: natsUrl(), prefix, logger });
    const got = new Collector();
    const w = watch({ store, natsUrl: natsUrl(), prefix, from: 0, onEvent: got.onEvent, logger });
    await writeMany(store, PODS, 'a', 'p', 50);
    await waitFor(() => relay.lastPublished() === 50, {
      timeoutMs: 30_000,
      what: 'relay to publish 50',
    });
    await got.waitForRevision(50);
    await waitFor(() => w.isLive(), { timeoutMs: 30_000, what: 'watch to go live' });
    await writeMany(store, PODS, 'a', 'q', 50);
    await got.waitForRevision(100);
    await w.stop();
    await relay.stop();
    expect(got.revisions()).toEqual(range(1, 100));
    expect(w.stats().fromNats).toBeGreaterThan(0);
    const nc = await connect({ servers: natsUrl() });
    expect(await streamRevisions(nc, prefix)).toEqual(range(1, 100));
    await nc.close();
  }, 90_000);
});
