/**
 * Controller-manager benchmark: an in-process api-server (own Postgres schema, TLS) and the
 * controller-manager (every controller, leader election on) in the same process. 1,000
 * Deployments of 1 replica are created through the API; each counts as reconciled once a watch
 * on the API shows a pod of it (which exists only after its ReplicaSet does). No node agents:
 * pods stay unscheduled objects.
 */
import { performance } from 'node:perf_hooks';
import { ApiClient, loadKubeconfig, type KubeObject } from '@bosun/api-client';
import { createLogger } from '@bosun/common';
import { startTestApiServer } from '@bosun/api-server-service/testing';
import { ControllerManager } from '../src/controller-manager';

const COUNT = Number(process.env.BENCH_DEPLOYMENTS ?? 1000);
const CONCURRENCY = 32;
const NS = 'bench-deployments';
const TIMEOUT_MS = 10 * 60_000;

const deployment = (i: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `d-${i}` },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: `d-${i}` } },
    template: {
      metadata: { labels: { app: `d-${i}` } },
      spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
    },
  },
});

/** Resolves when pods of all `count` apps were seen on a watch of the namespace. */
function watchPods(client: ApiClient, count: number, signal: AbortSignal): Promise<number> {
  const ref = { group: '', version: 'v1', resource: 'pods', namespace: NS };
  const seen = new Set<string>();
  return (async () => {
    for await (const e of client.watch(ref, { resourceVersion: '0' }, signal)) {
      const app = (e.object.metadata as { labels?: Record<string, string> }).labels?.app;
      if (e.type === 'ADDED' && app) seen.add(app);
      if (seen.size >= count) return performance.now();
    }
    throw new Error(`watch ended after ${seen.size} of ${count} deployments`);
  })();
}

export async function benchDeployments(): Promise<Record<string, number>> {
  const api = await startTestApiServer();
  const client = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
  const manager = new ControllerManager({
    client,
    identity: 'bench',
    logger: createLogger('controller-manager-bench', process.env.LOG_LEVEL ?? 'warn'),
  });
  const abort = new AbortController();
  try {
    manager.start();
    await api.kubectl(['create', 'namespace', NS]);
    const ref = { group: 'apps', version: 'v1', resource: 'deployments', namespace: NS };
    const done = watchPods(client, COUNT, abort.signal);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS).unref(),
    );
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < COUNT; i = next++) await client.create(ref, deployment(i));
      }),
    );
    const created = performance.now();
    const end = await Promise.race([done, timeout]);
    const seconds = (end - start) / 1000;
    return {
      deployments_per_s: COUNT / seconds,
      deployments_total_s: seconds,
      deployments_create_s: (created - start) / 1000,
      deployments_count: COUNT,
    };
  } finally {
    abort.abort();
    await manager.stop();
    client.close();
    await api.stop();
  }
}
