/**
 * Watch delivery latency at a paced write rate: one relay and one watcher on a private schema and
 * stream prefix; writes are issued open-loop at `BENCH_WRITES_PER_S` (default 1,000/s) for
 * `BENCH_SECONDS` (default 10). Latency = watcher callback time - the time the write's promise
 * resolved (commit acknowledged); a callback that beats the acknowledgement counts as 0.
 */
import { createLogger } from '@bosun/common';
import { openStore, type ResourceType, type StoreEvent } from '@bosun/store';
import { createTestSchema, natsUrl, uniquePrefix } from '@bosun/testing';
import { connect } from 'nats';
import { performance } from 'node:perf_hooks';
import { startRelay, streamName, watch } from '../src';

const PODS: ResourceType = { group: '', resource: 'pods', namespaced: true };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchWatchLatency(): Promise<Record<string, number>> {
  const rate = Number(process.env.BENCH_WRITES_PER_S ?? 1_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const logger = createLogger('bench-watch', 'warn');
  const schema = await createTestSchema('bench');
  const store = await openStore({ url: schema.url, schema: schema.schema });
  const prefix = uniquePrefix('bench');
  const relay = startRelay({ store, natsUrl: natsUrl(), prefix, logger });
  const acked = new Map<number, number>();
  const delivered = new Map<number, number>();
  let firstAt = 0;
  let lastAt = 0;
  const w = watch({
    store,
    natsUrl: natsUrl(),
    prefix,
    from: await store.currentRevision(),
    logger,
    onEvent: (e: StoreEvent) => {
      const now = performance.now();
      firstAt ||= now;
      lastAt = now;
      delivered.set(e.revision, now);
    },
  });
  try {
    await waitUntil(() => w.isLive() && relay.isLeader(), 10_000);
    const total = Math.round(rate * seconds);
    const writes: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total;) {
      const due = Math.floor(((performance.now() - start) * rate) / 1000);
      for (; i < Math.min(due, total); i++) {
        const write = store.create(PODS, { metadata: { name: `p-${i}`, namespace: 'bench' } });
        writes.push(
          write.then((o) => void acked.set(Number(o.metadata.resourceVersion), performance.now())),
        );
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(writes);
    const head = await store.currentRevision();
    await waitUntil(() => w.lastRevision() >= head, 30_000);
    const latencies = [...acked].map(([rev, at]) =>
      Math.max(0, (delivered.get(rev) ?? Infinity) - at),
    );
    latencies.sort((a, b) => a - b);
    const stats = w.stats();
    return {
      watch_p50_ms: round(percentile(latencies, 50)),
      watch_p99_ms: round(percentile(latencies, 99)),
      watch_max_ms: round(latencies[latencies.length - 1]),
      watch_events_per_s: round((delivered.size / (lastAt - firstAt)) * 1000),
      watch_writes: acked.size,
      watch_from_nats_pct: round(
        (100 * stats.fromNats) / Math.max(1, stats.fromNats + stats.fromLog),
      ),
    };
  } finally {
    await w.stop();
    await relay.stop();
    await store.close();
    await schema.drop();
    const nc = await connect({ servers: natsUrl() });
    await (await nc.jetstreamManager()).streams.delete(streamName(prefix)).catch(() => undefined);
    await nc.close();
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out waiting for the watch');
    await new Promise((r) => setTimeout(r, 5));
  }
}
