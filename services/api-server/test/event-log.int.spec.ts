import { connect } from 'nats';
import { streamName, watch } from '@bosun/events';
import type { StoreEvent } from '@bosun/store';
import { natsUrl, uniquePrefix, waitFor } from '@bosun/testing';
import { startTestApiServer, type TestApiServer } from './test-api-server';

describe('api-server publishes the event log to NATS (needs Postgres and NATS)', () => {
  let api: TestApiServer;
  const prefix = uniquePrefix('api');

  beforeAll(async () => {
    api = await startTestApiServer({ nats: { url: natsUrl(), prefix } });
  });
  afterAll(async () => {
    await api?.stop();
    const nc = await connect({ servers: natsUrl() });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName(prefix)).catch(() => undefined);
    await nc.close();
  });

  it('a write through the REST API reaches a NATS watcher, in order, from the stream', async () => {
    const from = await api.store.currentRevision();
    const seen: StoreEvent[] = [];
    const w = watch({
      store: api.store,
      natsUrl: natsUrl(),
      prefix,
      from,
      filter: { group: '', resource: 'configmaps', namespace: 'default' },
      onEvent: (e) => void seen.push(e),
    });
    try {
      await waitFor(() => w.isLive(), { timeoutMs: 20_000, what: 'the watch to go live on NATS' });
      for (const name of ['a', 'b']) {
        const res = await api.request('/api/v1/namespaces/default/configmaps', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ metadata: { name }, data: { k: name } }),
        });
        expect(res.status).toBe(201);
      }
      await waitFor(() => seen.length >= 2, { timeoutMs: 20_000, what: 'two events' });
      expect(seen.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
      ]);
      expect(seen[1].revision).toBeGreaterThan(seen[0].revision);
      expect(w.stats().fromNats).toBeGreaterThanOrEqual(1);
      expect(api.relay?.isLeader()).toBe(true);
    } finally {
      await w.stop();
    }
  }, 60_000);
});
