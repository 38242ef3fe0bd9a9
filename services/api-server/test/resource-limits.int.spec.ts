import { request } from 'node:https';
import type { PoolClient } from 'pg';
import WebSocket from 'ws';
import type { PgStore } from '@bosun/store';
import { waitFor } from '@bosun/testing';
import { startTestApiServer, type TestApiServer } from './test-api-server';

interface OpenStream {
  /** The response status, once headers arrived. */
  readonly status: Promise<number>;
  readonly body: () => string;
  close(): void;
}

/** A GET left open (a watch or a follow), read as it streams. */
function openStream(api: TestApiServer, path: string): OpenStream {
  let body = '';
  const req = request(
    `${api.url}${path}`,
    { ca: api.caCertPem, headers: { Authorization: `Bearer ${api.token}` } },
    (res) => {
      resolveStatus(res.statusCode ?? 0);
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('error', () => undefined);
    },
  );
  let resolveStatus!: (n: number) => void;
  const status = new Promise<number>((resolve, reject) => {
    resolveStatus = resolve;
    req.on('error', reject);
  });
  req.end();
  return { status, body: () => body, close: () => req.destroy() };
}

/** Holds an ACCESS EXCLUSIVE lock on the store's objects table: every read of it waits. */
async function lockObjects(api: TestApiServer): Promise<PoolClient> {
  const c = await (api.store as PgStore).pool.connect();
  await c.query('BEGIN');
  await c.query('LOCK TABLE objects IN ACCESS EXCLUSIVE MODE');
  return c;
}

async function unlock(c: PoolClient): Promise<void> {
  await c.query('COMMIT');
  c.release();
}

const CMS = '/api/v1/namespaces/default/configmaps';

/** `{"a":{"a":…{}…}}` nested `depth` levels under `key` of a ConfigMap. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

describe('resource limits (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers 401 Status to a burst of unknown bearer tokens, plausible or not', async () => {
    const tokens = Array.from({ length: 100 }, (_, i) =>
      i % 2 ? `zz${String(i).padStart(4, '0')}.0123456789abcdef` : `not-a-token-${i}`,
    );
    const answers = await Promise.all(
      tokens.map((t) => api.request(CMS, { headers: { Authorization: `Bearer ${t}` } })),
    );
    for (const r of answers) {
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    }
  });

  describe('JSON nesting depth', () => {
    const bodies: [string, string, string, string][] = [
      [
        'POST',
        CMS,
        'application/json',
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${nested(100_000)}}`,
      ],
      ['PATCH', `${CMS}/deep`, 'application/merge-patch+json', `{"x":${nested(100_000)}}`],
      [
        'PATCH',
        `${CMS}/deep`,
        'application/strategic-merge-patch+json',
        `{"data":${nested(100_000)}}`,
      ],
      [
        'PATCH',
        `${CMS}/deep`,
        'application/json-patch+json',
        `[{"op":"add","path":"/x","value":${nested(100_000)}}]`,
      ],
      [
        'POST',
        CMS,
        'application/yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deepy}\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      ],
    ];
    it.each(bodies)(
      '%s %s (%s) nested past the limit answers 400, not a crash',
      async (method, path, type, body) => {
        if (method === 'PATCH')
          await api.request(CMS, {
            method: 'POST',
            body: JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'deep' },
            }),
            headers: { 'Content-Type': 'application/json' },
          });
        const r = await api.request(path, { method, body, headers: { 'Content-Type': type } });
        expect(r.status).toBe(400);
        expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
        expect(JSON.parse(r.body).message).toMatch(/nest/);
      },
    );

    it('serves a body nested right up to the limit without a 5xx anywhere later', async () => {
      // 1 level for the object, 999 for x: exactly MAX_JSON_DEPTH.
      const r = await api.request(`${CMS}?fieldValidation=Ignore`, {
        method: 'POST',
        body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok-depth"},"x":${nested(998)}}`,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(r.status).toBe(201);
      for (const type of [
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]) {
        const p = await api.request(`${CMS}/ok-depth`, {
          method: 'PATCH',
          body: `{"metadata":{"labels":${nested(997)}}}`,
          headers: { 'Content-Type': type },
        });
        expect(p.status).toBeGreaterThanOrEqual(400);
        expect(p.status).toBeLessThan(500);
      }
      const j = await api.request(`${CMS}/ok-depth`, {
        method: 'PATCH',
        body: `[{"op":"add","path":"/data","value":${nested(997)}}]`,
        headers: { 'Content-Type': 'application/json-patch+json' },
      });
      expect(j.status).toBeGreaterThanOrEqual(400);
      expect(j.status).toBeLessThan(500);
    });
  });
});

describe('long-running request limit (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ maxLongRunning: 1 });
  });
  afterAll(async () => {
    await api.stop();
  });

  const execStatus = (): Promise<{ status: number; retryAfter?: string }> =>
    new Promise((resolve, reject) => {
      const url = `${api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=true&stdout=true`;
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
        ca: api.caCertPem,
        headers: { Authorization: `Bearer ${api.token}` },
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
        res.resume();
        ws.terminate();
      });
      ws.on('open', () => reject(new Error('upgrade was accepted')));
      ws.on('error', () => undefined);
    });

  it('answers 429 with Retry-After to watches, follows and exec past the limit, in every ParseBool spelling', async () => {
    const held = openStream(api, `${CMS}?watch=1`);
    try {
      expect(await held.status).toBe(200);
      for (const q of ['watch=true', 'watch=True', 'watch=t', 'watch=TRUE']) {
        const r = await api.request(`${CMS}?${q}`);
        expect(r.status).toBe(429);
        expect(r.headers['retry-after']).toBe('1');
        expect(JSON.parse(r.body)).toMatchObject({
          kind: 'Status',
          reason: 'TooManyRequests',
          code: 429,
        });
        expect(JSON.parse(r.body).message).toMatch(/long-running/);
      }
      const follow = await api.request('/apis/bosun.dev/v1/events?follow=True');
      expect(follow.status).toBe(429);
      expect(await execStatus()).toEqual({ status: 429, retryAfter: '1' });
      // Ordinary requests have their own limit.
      expect((await api.request(CMS)).status).toBe(200);
      expect((await api.request(`${CMS}?watch=false`)).status).toBe(200);
    } finally {
      held.close();
    }
    // The slot comes back when the watch ends; `watch=True` is then served as a watch, not a list.
    const r = await waitFor(async () => {
      const x = await api.request(`${CMS}?watch=True&timeoutSeconds=1`);
      return x.status === 200 ? x : undefined;
    });
    expect(r.body).not.toContain('ConfigMapList');
  });
});

describe('request timeout (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ requestTimeoutMs: 500 });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers 504 Timeout to an ordinary request past the deadline, keeps serving, and spares watches', async () => {
    await api.request(CMS, {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 't-before' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    const w = openStream(api, `${CMS}?watch=true&resourceVersion=0`);
    expect(await w.status).toBe(200);
    try {
      const lock = await lockObjects(api);
      let slow;
      try {
        slow = await api.request(`${CMS}/t-before`);
      } finally {
        await unlock(lock);
      }
      expect(slow.status).toBe(504);
      expect(JSON.parse(slow.body)).toMatchObject({ kind: 'Status', reason: 'Timeout', code: 504 });
      // The watch outlived the deadline that cut the GET it preceded.
      const created = await api.request(CMS, {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 't-after' } }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(created.status).toBe(201);
      await waitFor(() => w.body().includes('"t-after"'));
      expect((await api.request(`${CMS}/t-before`)).status).toBe(200);
    } finally {
      w.close();
    }
  });

  it("honours a client's shorter ?timeout= and refuses a malformed one", async () => {
    const lock = await lockObjects(api);
    try {
      const r = await api.request(`${CMS}?timeout=100ms`);
      expect(r.status).toBe(504);
    } finally {
      await unlock(lock);
    }
    const bad = await api.request(`${CMS}?timeout=soon`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/invalid timeout/);
  });
});
