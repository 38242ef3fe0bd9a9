import { waitFor } from '@bosun/testing';
import { startTestApiServer, type TestApiServer } from './test-api-server';

// The api-server compacts the event log on its own timer, keeping the retention window whole.

interface HistoryBody {
  compactedRevision: number;
  items: { revision: number; object: { data?: Record<string, string> } }[];
}

const history = async (api: TestApiServer, name: string): Promise<HistoryBody> => {
  const res = await api.request(
    `/apis/bosun.dev/v1/history/core/v1/configmaps/${name}?namespace=default`,
  );
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as HistoryBody;
};

const writeVersions = async (api: TestApiServer, name: string): Promise<number> => {
  await api.kubectl(['create', 'configmap', name, '--from-literal=v=1']);
  for (const v of ['2', '3']) {
    await api.kubectl(['patch', 'configmap', name, '-p', JSON.stringify({ data: { v } })]);
  }
  return (await history(api, name)).items.at(-1)!.revision;
};

describe('event-log compaction on a timer (real api-server, Postgres, kubectl)', () => {
  describe('retention 0: everything older than now is compacted', () => {
    let api: TestApiServer;
    beforeAll(async () => {
      api = await startTestApiServer({ compaction: { intervalMs: 200, retainMs: 0 } });
    });
    afterAll(() => api?.stop());

    it('keeps only each object’s state at the horizon; older revisions answer 410', async () => {
      const last = await writeVersions(api, 'squashed');
      const after = await waitFor(
        async () => {
          const h = await history(api, 'squashed');
          return h.compactedRevision >= last ? h : undefined;
        },
        { timeoutMs: 30_000, what: 'the compactor to pass the last write' },
      );
      expect(after.items.map((i) => i.object.data?.v)).toEqual(['3']);
      const gone = await api.request(
        '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1',
      );
      expect(gone.body).toContain('"code":410');
    });
  });

  describe('a retention window keeps recent history whole', () => {
    let api: TestApiServer;
    beforeAll(async () => {
      api = await startTestApiServer({ compaction: { intervalMs: 200, retainMs: 3_600_000 } });
    });
    afterAll(() => api?.stop());

    it('compacts nothing younger than the window', async () => {
      await writeVersions(api, 'kept');
      // Several compaction ticks pass (the horizon is read back after them).
      await new Promise((r) => setTimeout(r, 1_000));
      const h = await history(api, 'kept');
      expect(h.items.map((i) => i.object.data?.v)).toEqual(['1', '2', '3']);
      expect(h.compactedRevision).toBeLessThan(h.items[0].revision);
    });
  });
});
