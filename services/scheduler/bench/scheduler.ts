/**
 * Scheduler benchmark, end to end, with the api-server in a process of its own as in production
 * (services/api-server/bench/api-server-process.ts: own Postgres schema, TLS). This process runs
 * the real scheduler service (its own ApiClient, watches and binds over HTTPS) and the pod
 * creator (64 concurrent creates through a second ApiClient); before, the api-server shared this
 * event loop and was charged for both.
 *
 * Phases, on 1,000 hollow nodes (Node objects only, 10 zones):
 * - backlog: BACKLOG_PODS pods created before the scheduler starts; `backlog_pods_per_s` is
 *   that count over the time from the scheduler leading to the last of them seen bound.
 * - plain: 10,000 pods created while the scheduler runs. `pods_per_s` is 10,000 over the time
 *   from the first create to the last pod seen bound; `create_pods_per_s` the creates alone;
 *   `created_to_bound_p50_ms/p99_ms` run from each create's acknowledgement to the watch event
 *   showing the pod bound (a watch on the API in this process).
 * - spread: SPREAD_PODS pods with a zone topologySpreadConstraint (maxSkew 1):
 *   `pods_per_s_spread` and `created_to_bound_p99_ms_spread`, measured as for plain.
 * BENCH_API_CPU_PROF=<dir> runs the api-server process under `node --cpu-prof` into <dir>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { ApiClient, loadKubeconfig, type KubeObject } from '@bosun/api-client';
import { createService, type ServiceHandle } from '@bosun/service-host';
import { createTestSchema, waitFor } from '@bosun/testing';
import { startServerProcess, stopServerProcess } from '@bosun/api-server-service/testing';
import { scheduler } from '../src/main';
import { SchedulerService } from '../src/scheduler.service';

const NODES = Number(process.env.BENCH_SCHEDULER_NODES ?? 1000);
const PODS = Number(process.env.BENCH_SCHEDULER_PODS ?? 10_000);
const SPREAD_PODS = Number(process.env.BENCH_SCHEDULER_SPREAD_PODS ?? 2000);
const BACKLOG_PODS = Number(process.env.BENCH_SCHEDULER_BACKLOG_PODS ?? 2000);
const ZONES = 10;
const CONCURRENCY = 64;

const nodesRef = { group: '', version: 'v1', resource: 'nodes' };
const podsRef = (namespace: string) => ({ group: '', version: 'v1', resource: 'pods', namespace });

function hollowNode(i: number): KubeObject {
  const room = { cpu: '32', memory: '128Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `hollow-${i}`,
      labels: {
        'kubernetes.io/hostname': `hollow-${i}`,
        'topology.kubernetes.io/zone': `zone-${i % ZONES}`,
      },
    },
    spec: {},
    status: {
      capacity: room,
      allocatable: room,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  };
}

function benchPod(name: string, namespace: string, spread: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'web' } },
    spec: {
      containers: [
        { name: 'app', image: 'pause', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
      ],
      ...(spread
        ? {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: { app: 'web' } },
              },
            ],
          }
        : {}),
    },
  };
}

/** Runs `op(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n: number, limit: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const namespacesRef = { group: '', version: 'v1', resource: 'namespaces' };

/** Follows pods in `namespace` from now on, noting when each is first seen bound. */
async function watchBinds(client: ApiClient, namespace: string) {
  const start = await client.list(podsRef(namespace), { limit: 1 });
  const bound = new Map<string, number>();
  const abort = new AbortController();
  const q = { resourceVersion: start.metadata.resourceVersion };
  const following = (async () => {
    for await (const e of client.watch<KubeObject>(podsRef(namespace), q, abort.signal)) {
      const name = e.object.metadata.name ?? '';
      const nodeName = (e.object.spec as { nodeName?: string } | undefined)?.nodeName;
      if (nodeName && !bound.has(name)) bound.set(name, performance.now());
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return {
    bound,
    async untilBound(n: number): Promise<number> {
      await waitFor(() => bound.size >= n, {
        timeoutMs: 900_000,
        intervalMs: 50,
        what: `${n} pods bound`,
      });
      abort.abort();
      await following;
      return Math.max(...bound.values());
    },
  };
}

async function createPods(
  client: ApiClient,
  namespace: string,
  n: number,
  spread: boolean,
  created?: Map<string, number>,
): Promise<void> {
  await pool(n, CONCURRENCY, async (i) => {
    const name = `pod-${i}`;
    await client.create(podsRef(namespace), benchPod(name, namespace, spread));
    created?.set(name, performance.now());
  });
}

/** Creates `n` pods in a fresh namespace and waits until the watch saw every one bound. */
async function placePods(client: ApiClient, namespace: string, n: number, spread: boolean) {
  await client.create(namespacesRef, { metadata: { name: namespace } });
  const watch = await watchBinds(client, namespace);
  const created = new Map<string, number>();
  const t0 = performance.now();
  await createPods(client, namespace, n, spread, created);
  const createdAt = performance.now();
  const last = await watch.untilBound(n);
  const latencies = [...created].map(([name, t]) => Math.max(0, watch.bound.get(name)! - t));
  latencies.sort((a, b) => a - b);
  return {
    podsPerS: Math.round(n / ((last - t0) / 1000)),
    createPerS: Math.round(n / ((createdAt - t0) / 1000)),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
  };
}

/** pods/s placed end to end (create -> bound seen on a watch) on 1,000 hollow nodes. */
export async function benchScheduler(): Promise<Record<string, number>> {
  const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const schema = await createTestSchema('bench');
  const home = await mkdtemp(join(tmpdir(), 'bosun-bench-'));
  const prof = process.env.BENCH_API_CPU_PROF;
  const { proc } = await startServerProcess(
    { BENCH_HOME: home, BENCH_DB_URL: schema.url, BENCH_DB_SCHEMA: schema.schema },
    prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
  );
  // The server writes an admin kubeconfig into its home before it prints its endpoint.
  const kubeconfigPath = join(home, 'kubeconfig');
  const client = new ApiClient(await loadKubeconfig(kubeconfigPath));
  let svc: ServiceHandle | undefined;
  try {
    await pool(NODES, CONCURRENCY, async (i) => {
      await client.create(nodesRef, hollowNode(i));
    });
    svc = createService({
      ...scheduler,
      logger: quiet,
      env: {
        SCHEDULER_HTTP_PORT: '0',
        SCHEDULER_HTTP_HOST: '127.0.0.1',
        BOSUN_KUBECONFIG: kubeconfigPath,
        SCHEDULER_RETRY_PERIOD_MS: '200',
      },
    });
    // A backlog first: pods that exist before the scheduler starts, drained without creates
    // competing for the api-server (the scheduler's own pace: place, bind, event).
    await client.create(namespacesRef, { metadata: { name: 'backlog' } });
    const backlog = await watchBinds(client, 'backlog');
    await createPods(client, 'backlog', BACKLOG_PODS, false);
    await svc.start();
    await svc.ready();
    const core = svc.app().get(SchedulerService);
    await waitFor(() => core.isLeader(), { what: 'the scheduler leading' });
    const leadingAt = performance.now();
    const drained = BACKLOG_PODS > 0 ? await backlog.untilBound(BACKLOG_PODS) : leadingAt;
    const plain = await placePods(client, 'bench', PODS, false);
    const metrics: Record<string, number> = {
      pods_per_s: plain.podsPerS,
      created_to_bound_p50_ms: plain.p50,
      created_to_bound_p99_ms: plain.p99,
      create_pods_per_s: plain.createPerS,
    };
    if (BACKLOG_PODS > 0) {
      metrics.backlog_pods_per_s = Math.round(BACKLOG_PODS / ((drained - leadingAt) / 1000));
    }
    if (SPREAD_PODS > 0) {
      const spread = await placePods(client, 'bench-spread', SPREAD_PODS, true);
      metrics.pods_per_s_spread = spread.podsPerS;
      metrics.created_to_bound_p99_ms_spread = spread.p99;
    }
    return metrics;
  } finally {
    await svc?.stop();
    client.close();
    await stopServerProcess(proc);
    await schema.drop();
    await rm(home, { recursive: true, force: true });
  }
}
