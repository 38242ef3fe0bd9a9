/**
 * Store write and catch-up benchmark (Bosun issue 2 budget: >= 2,000 committed writes/s).
 * Run: node -r @swc-node/register -e "require('./libs/store/bench/store-writes.ts').benchStoreWrites().then(console.log)"
 * BENCH_SECONDS (default 8) sets the duration of each write setting.
 */
import { Client } from 'pg';
import { createTestSchema } from '@bosun/testing';
import { openStore, type ResourceType, type StoredObject } from '../src';

const PODS: ResourceType = { group: '', resource: 'pods', namespaced: true };

function podLike(name: string, i: number): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: `app-${i % 20}`, tier: 'web' } },
    spec: {
      nodeName: `node-${i % 50}`,
      containers: [
        {
          name: 'main',
          image: 'registry.local/app:1.0',
          resources: { requests: { cpu: '100m', memory: '64Mi' } },
        },
      ],
    },
    status: { phase: 'Pending' },
  };
}

/** Sustained committed writes/s with `writers` concurrent callers: each creates a pod, then updates it. */
async function writesPerSecond(writers: number, seconds: number): Promise<number> {
  const schema = await createTestSchema('bench');
  const store = await openStore({ url: schema.url, schema: schema.schema });
  try {
    let committed = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; performance.now() < deadline; i++) {
          const created = await store.create(PODS, podLike(`w${w}-${i}`, i));
          const next = { ...created, status: { phase: 'Running' } };
          await store.update(PODS, next, { resourceVersion: created.metadata.resourceVersion });
          committed += 2;
        }
      }),
    );
    return committed / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    await schema.drop();
  }
}

/** readEvents in pages of 1,000 over `total` events (seeded directly with SQL). */
async function catchupEventsPerSecond(total: number): Promise<number> {
  const schema = await createTestSchema('bench');
  const store = await openStore({ url: schema.url, schema: schema.schema });
  const c = new Client({
    connectionString: schema.url,
    options: `-c search_path=${schema.schema}`,
  });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO events (revision, type, grp, resource, namespace, name, prev_revision, actor, object)
       SELECT i, 'ADDED', '', 'pods', 'bench', 'p' || i, 0, 'bench',
         $2::jsonb || jsonb_build_object('metadata', jsonb_build_object('name', 'p' || i, 'namespace', 'bench',
           'resourceVersion', i::text, 'labels', jsonb_build_object('app', 'app-' || (i % 20))))
       FROM generate_series(1, $1::int) i`,
      [total, JSON.stringify(podLike('x', 0))],
    );
    await c.query('UPDATE revision_counter SET value = $1', [total]);
    await c.query('ANALYZE events');
    const started = performance.now();
    let after = 0;
    let read = 0;
    for (;;) {
      const page = await store.readEvents(after, {}, 1000);
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1].revision;
    }
    if (read !== total) throw new Error(`catch-up read ${read} events, expected ${total}`);
    return read / ((performance.now() - started) / 1000);
  } finally {
    await c.end();
    await store.close();
    await schema.drop();
  }
}

export async function benchStoreWrites(): Promise<Record<string, number>> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const round = (n: number) => Math.round(n);
  return {
    writes_per_s_1: round(await writesPerSecond(1, seconds)),
    writes_per_s_8: round(await writesPerSecond(8, seconds)),
    writes_per_s: round(await writesPerSecond(64, seconds)),
    catchup_events_per_s: round(await catchupEventsPerSecond(50_000)),
  };
}
