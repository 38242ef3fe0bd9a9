/**
 * API benchmark: an api-server in its own process over TLS (own Postgres schema), driven by open-loop
 * load at fixed rates from concurrent keep-alive clients. Latency is measured from each request's
 * scheduled start, so a server that falls behind is charged for the queueing it causes.
 */
import { Agent, request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestSchema } from '@bosun/testing';
import { startServerProcess, stopServerProcess, type Endpoint } from './start-server-process';

interface Client {
  call(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: string }>;
  close(): void;
}

function client(api: Endpoint): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, ca: api.caCertPem });
  return {
    call: (method, path, body, contentType = 'application/json') =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string> = { Authorization: `Bearer ${api.token}` };
        if (payload !== undefined) {
          headers['Content-Type'] = contentType;
          headers['Content-Length'] = String(Buffer.byteLength(payload));
        }
        const req = request(`${api.url}${path}`, { method, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        });
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Fires `op(i)` at `rate` per second for `seconds`; returns p50/p99 (ms) and the error count. */
async function atRate(
  rate: number,
  seconds: number,
  op: (i: number) => Promise<number>,
): Promise<{ p50: number; p99: number; errors: number }> {
  const n = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      op(i).then(
        (status) => {
          if (status >= 300) errors++;
          latencies.push(performance.now() - due);
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

const cm = (name: string, i = 0) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { bench: 'y' } },
  data: { i: String(i) },
});

async function watchFanOut(
  api: Endpoint,
  c: Client,
  watchers: number,
  events: number,
): Promise<{ p50: number; p99: number }> {
  const ns = '/api/v1/namespaces/fanout/configmaps';
  await c.call('POST', '/api/v1/namespaces', { metadata: { name: 'fanout' } });
  const sent = new Map<string, number>();
  const delays: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: watchers + 1, ca: api.caCertPem });
  const streams = await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<() => void>((resolve) => {
          const req = request(
            `${api.url}${ns}?watch=true`,
            { agent, headers: { Authorization: `Bearer ${api.token}` } },
            (res) => {
              let buf = '';
              res.on('data', (chunk: Buffer) => {
                buf += chunk.toString();
                let nl: number;
                while ((nl = buf.indexOf('\n')) >= 0) {
                  const e = JSON.parse(buf.slice(0, nl)) as {
                    object: { metadata: { name: string } };
                  };
                  buf = buf.slice(nl + 1);
                  const t = sent.get(e.object.metadata.name);
                  if (t !== undefined) delays.push(performance.now() - t);
                }
              });
              resolve(() => req.destroy());
            },
          );
          req.on('error', () => undefined);
          req.end();
        }),
    ),
  );
  await sleep(300); // every watch registered with the hub
  for (let i = 0; i < events; i++) {
    const name = `f-${i}`;
    sent.set(name, performance.now());
    await c.call('POST', ns, cm(name, i));
    await sleep(10);
  }
  const deadline = Date.now() + 10_000;
  while (delays.length < watchers * events && Date.now() < deadline) await sleep(20);
  streams.forEach((close) => close());
  agent.destroy();
  delays.sort((a, b) => a - b);
  return { p50: percentile(delays, 50), p99: percentile(delays, 99) };
}

export async function benchApi(): Promise<Record<string, number>> {
  const schema = await createTestSchema('bench');
  const home = await mkdtemp(join(tmpdir(), 'bosun-bench-'));
  const { api, proc } = await startServerProcess({
    BENCH_HOME: home,
    BENCH_DB_URL: schema.url,
    BENCH_DB_SCHEMA: schema.schema,
  });
  const c = client(api);
  const out: Record<string, number> = {};
  try {
    const NS = '/api/v1/namespaces/default/configmaps';
    const seconds = Number(process.env.BENCH_API_SECONDS ?? 4);
    // Warm-up: JIT, TLS sessions and pooled connections, so the first measured phase is fair.
    await atRate(200, 2, async (i) => (await c.call('GET', `${NS}/warm-${i}`)).status);
    let created = 0;
    for (const rate of [100, 500]) {
      const base = created;
      const r = await atRate(
        rate,
        seconds,
        async (i) => (await c.call('POST', NS, cm(`c-${base + i}`, i))).status,
      );
      created += Math.round(rate * seconds);
      Object.assign(out, {
        [`create_p50_ms_${rate}rps`]: r.p50,
        [`create_p99_ms_${rate}rps`]: r.p99,
        [`create_errors_${rate}rps`]: r.errors,
      });
    }
    for (const rate of [100, 500]) {
      const r = await atRate(
        rate,
        seconds,
        async (i) => (await c.call('GET', `${NS}/c-${i % created}`)).status,
      );
      Object.assign(out, {
        [`get_p50_ms_${rate}rps`]: r.p50,
        [`get_p99_ms_${rate}rps`]: r.p99,
        [`get_errors_${rate}rps`]: r.errors,
      });
    }
    for (const rate of [100, 500]) {
      const r = await atRate(
        rate,
        seconds,
        async (i) =>
          (
            await c.call(
              'PATCH',
              `${NS}/c-${i % created}`,
              { data: { p: String(i) } },
              'application/merge-patch+json',
            )
          ).status,
      );
      Object.assign(out, {
        [`patch_p50_ms_${rate}rps`]: r.p50,
        [`patch_p99_ms_${rate}rps`]: r.p99,
        [`patch_errors_${rate}rps`]: r.errors,
      });
    }
    // Lists of 1,000 objects: ~0.5 MB of JSON each, so the rates are lower than for single objects.
    await c.call('POST', '/api/v1/namespaces', { metadata: { name: 'thousand' } });
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          c.call('POST', '/api/v1/namespaces/thousand/configmaps', cm(`l-${i + j}`, i + j)),
        ),
      );
    }
    for (const rate of [10, 50]) {
      const r = await atRate(
        rate,
        seconds,
        async () => (await c.call('GET', '/api/v1/namespaces/thousand/configmaps')).status,
      );
      Object.assign(out, {
        [`list_1000_p50_ms_${rate}rps`]: r.p50,
        [`list_1000_p99_ms_${rate}rps`]: r.p99,
        [`list_1000_errors_${rate}rps`]: r.errors,
      });
    }
    const fan = await watchFanOut(api, c, 100, 50);
    out.watch_fanout_100_p50_ms = fan.p50;
    out.watch_fanout_100_p99_ms = fan.p99;
    out.mutating_p99_ms = Math.max(out.create_p99_ms_500rps, out.patch_p99_ms_500rps);
    out.get_p99_ms = out.get_p99_ms_500rps;
    return out;
  } finally {
    c.close();
    await stopServerProcess(proc);
    await schema.drop();
    await rm(home, { recursive: true, force: true });
  }
}
