import pino from 'pino';
import { ApiClient, loadKubeconfig, type KubeObject } from '@bosun/api-client';
import { createService, type ServiceHandle } from '@bosun/service-host';
import { waitFor } from '@bosun/testing';
// The api-server's test harness: the real server is what these suites prove the scheduler against.
import { startTestApiServer, type TestApiServer } from '@bosun/api-server-service/testing';
import { scheduler } from '../src/main';
import { SchedulerService } from '../src/scheduler.service';

export { startTestApiServer, type TestApiServer };

export const PODS = (namespace: string) => ({
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace,
});
export const NODES = { group: '', version: 'v1', resource: 'nodes' };
export const EVENTS = (namespace: string) => ({
  group: '',
  version: 'v1',
  resource: 'events',
  namespace,
});
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

export interface PodObject extends KubeObject {
  spec: { nodeName?: string; schedulerName?: string; containers: unknown[] };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export async function clientFor(api: TestApiServer): Promise<ApiClient> {
  return new ApiClient(await loadKubeconfig(api.kubeconfigPath));
}

/** A hollow node: a Node object only, Ready, with the given allocatable room. */
export function nodeObject(name: string, cpu = '4', memory = '16Gi', zone = 'zone-a'): KubeObject {
  const room = { cpu, memory, pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone },
    },
    spec: {},
    status: {
      capacity: room,
      allocatable: room,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow' }],
    },
  };
}

export function podObject(
  name: string,
  namespace: string,
  cpu = '100m',
  extra: object = {},
): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'test' } },
    spec: {
      containers: [
        { name: 'app', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } },
      ],
      ...extra,
    },
  };
}

export async function createNamespace(client: ApiClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A scheduler replica in this process, talking to `api` (fast lease timings for tests). */
export async function startScheduler(
  api: TestApiServer,
  identity: string,
  env: Record<string, string> = {},
): Promise<{ svc: ServiceHandle; core: SchedulerService }> {
  const svc = createService({
    ...scheduler,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    env: {
      SCHEDULER_HTTP_PORT: '0',
      SCHEDULER_HTTP_HOST: '127.0.0.1',
      BOSUN_KUBECONFIG: api.kubeconfigPath,
      SCHEDULER_IDENTITY: identity,
      SCHEDULER_LEASE_DURATION_MS: '3000',
      SCHEDULER_RENEW_DEADLINE_MS: '2000',
      SCHEDULER_RETRY_PERIOD_MS: '200',
      ...env,
    },
  });
  await svc.start();
  await svc.ready();
  return { svc, core: svc.app().get(SchedulerService) };
}

export async function boundPods(client: ApiClient, namespace: string): Promise<PodObject[]> {
  const list = await client.list<PodObject>(PODS(namespace));
  return list.items.filter((p) => p.spec.nodeName);
}

export async function waitAllBound(
  client: ApiClient,
  namespace: string,
  n: number,
  timeoutMs = 30_000,
): Promise<PodObject[]> {
  return waitFor(
    async () => {
      const bound = await boundPods(client, namespace);
      return bound.length === n ? bound : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `${n} pods bound in ${namespace}` },
  );
}

export async function eventsOf(
  client: ApiClient,
  namespace: string,
  reason: string,
): Promise<KubeObject[]> {
  const list = await client.list(EVENTS(namespace), { fieldSelector: `reason=${reason}` });
  return list.items;
}
