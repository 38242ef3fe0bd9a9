import { request } from 'node:https';
import { waitFor } from '@bosun/testing';
import { startTestApiServer, type TestApiServer } from './test-api-server';

interface Stream {
  readonly events: {
    type: string;
    object: {
      metadata: { name?: string; resourceVersion?: string };
      code?: number;
      reason?: string;
    };
  }[];
  readonly ended: Promise<void>;
  close(): void;
}

describe('watch over HTTPS (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ bookmarkIntervalMs: 50, watch: { freshWaitMs: 300 } });
  }, 60_000);
  afterAll(() => api?.stop());

  const CMS = '/api/v1/namespaces/default/configmaps';
  const create = async (name: string, labels: Record<string, string> = {}) =>
    JSON.parse(
      (
        await api.request(CMS, {
          method: 'POST',
          body: JSON.stringify({ metadata: { name, labels } }),
          headers: { 'Content-Type': 'application/json' },
        })
      ).body,
    );

  function watch(query: string): Stream {
    const events: Stream['events'] = [];
    let buf = '';
    let resolveEnd!: () => void;
    const ended = new Promise<void>((r) => (resolveEnd = r));
    const req = request(
      `${api.url}${CMS}?watch=true&${query}`,
      { ca: api.caCertPem, headers: { Authorization: `Bearer ${api.token}` } },
      (res) => {
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
          }
        });
        res.on('end', resolveEnd);
        res.on('close', resolveEnd);
      },
    );
    req.on('error', () => resolveEnd());
    req.end();
    return { events, ended, close: () => req.destroy() };
  }

  it('sends the current objects as ADDED first when no resourceVersion is given, then changes', async () => {
    await create('w-initial', { w: 'a' });
    const s = watch('labelSelector=w%3Da');
    try {
      await waitFor(() =>
        s.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'w-initial'),
      );
      await create('w-later', { w: 'a' });
      await create('w-other', { w: 'b' });
      await waitFor(() => s.events.some((e) => e.object.metadata.name === 'w-later'));
      expect(s.events.map((e) => e.object.metadata.name)).not.toContain('w-other');
    } finally {
      s.close();
    }
  });

  it('reports an object leaving a label selection as DELETED and re-entering as ADDED', async () => {
    await create('sel-1', { sel: 'in' });
    const s = watch('labelSelector=sel%3Din');
    const relabel = (v: string) =>
      api.request(`${CMS}/sel-1`, {
        method: 'PATCH',
        body: JSON.stringify({ metadata: { labels: { sel: v } } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    try {
      await waitFor(() => s.events.length === 1);
      await relabel('out');
      await waitFor(() => s.events.length === 2);
      await relabel('in');
      await waitFor(() => s.events.length === 3);
      expect(s.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
        'ADDED:sel-1',
        'DELETED:sel-1',
        'ADDED:sel-1',
      ]);
    } finally {
      s.close();
    }
  });

  it('resumes from a resourceVersion with exactly the later events, in order', async () => {
    const first = await create('r-1');
    await create('r-2');
    await create('r-3');
    const s = watch(
      `resourceVersion=${first.metadata.resourceVersion}&fieldSelector=metadata.name!%3Dnone`,
    );
    try {
      await waitFor(
        () => s.events.filter((e) => e.object.metadata.name?.startsWith('r-')).length >= 2,
      );
      const names = s.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
      expect(names.slice(0, 2)).toEqual(['r-2', 'r-3']);
      const rvs = s.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    } finally {
      s.close();
    }
  });

  it('sends BOOKMARK events when allowed and ends at timeoutSeconds', async () => {
    const s = watch('allowWatchBookmarks=true&timeoutSeconds=1');
    await s.ended;
    expect(
      s.events.some((e) => e.type === 'BOOKMARK' && Number(e.object.metadata.resourceVersion) > 0),
    ).toBe(true);
  });

  it('answers a compacted resourceVersion with an ERROR event carrying a 410 Status', async () => {
    await create('c-1');
    await create('c-2');
    const rev = await api.store.currentRevision();
    await api.store.compact({ keepRevisions: 1 });
    expect(await api.store.compactedRevision()).toBeGreaterThan(1);
    const s = watch(`resourceVersion=1`);
    await s.ended;
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(rev).toBeGreaterThan(1);
  });

  // kube-apiserver's answer to a revision it has not reached (storage.NewTooLargeResourceVersionError).
  const tooLarge = (requested: number, current: number) => ({
    kind: 'Status',
    status: 'Failure',
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    details: {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
  });

  it('answers a watch from a resourceVersion past the head with 504 Too large resource version', async () => {
    await create('ahead-1');
    const head = await api.store.currentRevision();
    const res = await api.request(`${CMS}?watch=true&resourceVersion=${head + 1000}`);
    expect(res.status).toBe(504);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'v1',
      metadata: {},
      ...tooLarge(head + 1000, head),
    });
  });

  it('answers an exact list at a resourceVersion past the head the same way', async () => {
    const head = await api.store.currentRevision();
    const res = await api.request(
      `${CMS}?resourceVersion=${head + 1000}&resourceVersionMatch=Exact`,
    );
    expect(res.status).toBe(504);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body)).toMatchObject(tooLarge(head + 1000, head));
  });

  it('lets a watch from a revision just ahead through once the log reaches it', async () => {
    const head = await api.store.currentRevision();
    const s = watch(`resourceVersion=${head + 1}`);
    try {
      await create('reached-1'); // revision head + 1: the watch may start
      await create('reached-2'); // the first change after it
      await waitFor(() => s.events.some((e) => e.object.metadata.name === 'reached-2'));
      expect(s.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
        'ADDED:reached-2',
      ]);
    } finally {
      s.close();
    }
  });
});
