import { ApiClient, loadKubeconfig, type ResourceRef } from '@bosun/api-client';
import type { Pod } from '@bosun/api-types';
import { ControllerManager } from '../src/controller-manager';
import { createLogger } from '@bosun/common';
import type { TestApiServer } from './api-server';

export const PODS = (namespace: string): ResourceRef => ({
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace,
});
export const RSS = (namespace: string): ResourceRef => ({
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  namespace,
});
export const DEPLOYS = (namespace: string): ResourceRef => ({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  namespace,
});

export async function clientFor(api: TestApiServer): Promise<ApiClient> {
  return new ApiClient(await loadKubeconfig(api.kubeconfigPath));
}

/** A controller-manager on the real API with quick leader election (tests only). */
export function startManager(client: ApiClient, identity: string): ControllerManager {
  const manager = new ControllerManager({
    client,
    identity,
    logger: createLogger('controller-manager-test', process.env.LOG_LEVEL ?? 'silent'),
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 250,
  });
  manager.start();
  return manager;
}

/** Polls `probe` until it returns a value (not undefined); fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const isActive = (p: Pod) =>
  !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

/**
 * Stands in for node agents: every pod that appears in `namespace` is marked Running and Ready
 * through the status subresource. Also records the largest number of active pods seen at once.
 */
export function podSimulator(client: ApiClient, namespace: string) {
  let markReady = true;
  const abort = new AbortController();
  const pods = new Map<string, Pod>();
  const inFlight = new Set<string>();
  let peak = 0;
  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        const list = await client.list<Pod>(PODS(namespace));
        pods.clear();
        for (const p of list.items) pods.set(p.metadata.name ?? '', p);
        for await (const e of client.watch<Pod>(
          PODS(namespace),
          { resourceVersion: list.metadata.resourceVersion },
          abort.signal,
        )) {
          const p = e.object;
          if (e.type === 'DELETED') pods.delete(p.metadata.name ?? '');
          else if (e.type === 'ADDED' || e.type === 'MODIFIED') pods.set(p.metadata.name ?? '', p);
          peak = Math.max(peak, [...pods.values()].filter(isActive).length);
          const ready = p.status?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          );
          const name = p.metadata.name ?? '';
          if (markReady && e.type !== 'DELETED' && isActive(p) && !ready && !inFlight.has(name)) {
            inFlight.add(name);
            void markPodReady(client, p)
              .catch(() => undefined)
              .finally(() => inFlight.delete(name));
          }
        }
      } catch {
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  const markAll = () => {
    for (const p of pods.values()) {
      const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (isActive(p) && !ready) void markPodReady(client, p).catch(() => undefined);
    }
  };
  return {
    /** Stops (false) or resumes (true) marking pods Ready; resuming marks the waiting ones. */
    setMarkReady(on: boolean) {
      markReady = on;
      if (on) markAll();
    },
    get peak() {
      return peak;
    },
    resetPeak() {
      peak = [...pods.values()].filter(isActive).length;
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}

export async function markPodReady(client: ApiClient, pod: Pod): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.update(
    PODS(pod.metadata.namespace ?? ''),
    {
      ...pod,
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: now },
          { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        ],
      },
    },
    'status',
  );
}

export async function activePods(
  client: ApiClient,
  namespace: string,
  selector?: string,
): Promise<Pod[]> {
  const list = await client.list<Pod>(PODS(namespace), { labelSelector: selector });
  return list.items.filter(isActive);
}

export const deploymentManifest = (name: string, replicas: number, image = 'nginx:1.0') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image }] },
    },
  },
});
