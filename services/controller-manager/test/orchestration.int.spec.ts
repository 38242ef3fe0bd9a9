import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { ApiClient } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import type { ServiceHandle } from '@bosun/service-host';
// The whole control plane in one process for issue 5's end-to-end test: the scheduler and the
// node agent through their testing entry points.
import { startScheduler } from '@bosun/scheduler-service/testing';
import { NodeAgent } from '@bosun/node-agent-service/testing';
import { startTestApiServer, type TestApiServer } from './api-server';
import { clientFor, DEPLOYS, PODS, waitFor } from './cluster-helpers';
import { CONTROLLERS } from '../src/controllers';
import { nodeLifecycleController } from '../src/controllers/node-lifecycle.controller';
import { ControllerManager } from '../src/controller-manager';
import { createLogger } from '@bosun/common';
import type { Deployment as Deploy, Node as NodeObj, Pod } from '@bosun/api-types';

const NS = 'issue5';
const APP = 'web';
const REPLICAS = 10;
const MAX_SURGE = 3; // ceil(25% of 10)
const NODE_NAMES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LONG = 90_000;

const nonTerminating = (p: Pod) => !p.metadata.deletionTimestamp;
const isReady = (p: Pod) =>
  p.status?.phase === 'Running' &&
  (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: APP, namespace: NS },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: APP } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: APP } },
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.0' }],
        // Evicted 2 s after its node goes unreachable, not after the default 300 s.
        tolerations: [
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 2,
          },
        ],
      },
    },
  },
};

/**
 * Follows the Deployment's pods through one list and then a watch (resumed from the last revision
 * when the stream ends) and records, after every event, how many non-terminating pods exist.
 */
function podCounter(client: ApiClient) {
  const abort = new AbortController();
  const pods = new Map<string, Pod>();
  let peak = 0;
  let events = 0;
  const record = () => {
    const n = [...pods.values()].filter(nonTerminating).length;
    peak = Math.max(peak, n);
  };
  const done = (async () => {
    let rv: string | undefined;
    while (!abort.signal.aborted) {
      try {
        if (rv === undefined) {
          const list = await client.list<Pod>(PODS(NS), { labelSelector: `app=${APP}` });
          pods.clear();
          for (const p of list.items) pods.set(p.metadata.name ?? '', p);
          rv = list.metadata.resourceVersion;
          record();
        }
        for await (const e of client.watch<Pod>(
          PODS(NS),
          { resourceVersion: rv, labelSelector: `app=${APP}` },
          abort.signal,
        )) {
          const name = e.object.metadata.name ?? '';
          rv = e.object.metadata.resourceVersion ?? rv;
          if (e.type === 'DELETED') pods.delete(name);
          else if (e.type === 'ADDED' || e.type === 'MODIFIED') pods.set(name, e.object);
          else continue;
          events++;
          record();
        }
      } catch (err) {
        // A 410 means our revision was compacted: list again. Anything else: retry the watch.
        if (isBosunError(err, ErrorCode.Gone)) rv = undefined;
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return {
    get peak() {
      return peak;
    },
    get events() {
      return events;
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function activePods(client: ApiClient): Promise<Pod[]> {
  const list = await client.list<Pod>(PODS(NS), { labelSelector: `app=${APP}` });
  return list.items.filter(nonTerminating);
}

/** Waits until exactly `n` non-terminating pods exist, all Running+Ready and matching `extra`. */
function waitReady(client: ApiClient, what: string, extra: (pods: Pod[]) => boolean = () => true) {
  return waitFor(
    what,
    async () => {
      const pods = await activePods(client);
      return pods.length === REPLICAS && pods.every(isReady) && extra(pods) ? pods : undefined;
    },
    LONG,
  );
}

const perNode = (pods: Pod[]) => {
  const counts: Record<string, number> = {};
  for (const p of pods) counts[p.spec.nodeName ?? ''] = (counts[p.spec.nodeName ?? ''] ?? 0) + 1;
  return counts;
};

/** The manager with every controller, but a node silent for 3 s (not 40 s) goes Unknown. */
function startFastManager(client: ApiClient, identity: string): ControllerManager {
  const controllers = CONTROLLERS.map((f) =>
    f === nodeLifecycleController
      ? (ctx: Parameters<typeof f>[0]) => nodeLifecycleController(ctx, { gracePeriodMs: 3000 })
      : f,
  );
  const manager = new ControllerManager({
    client,
    identity,
    controllers,
    logger: createLogger('controller-manager-test', process.env.LOG_LEVEL ?? 'silent'),
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 250,
  });
  manager.start();
  return manager;
}

async function deletePod(client: ApiClient, name: string): Promise<void> {
  // No retry: an unconditioned delete never loses against the agent's status write.
  await client.delete(PODS(NS), name);
}

describe('issue 5 end to end: api-server, controller-manager, scheduler and 5 fake node agents (integration: Postgres, NATS)', () => {
  let api: TestApiServer;
  let client: ApiClient;
  let manager: ControllerManager;
  let scheduler: ServiceHandle;
  let root: string;
  const agents = new Map<string, NodeAgent>();
  let counter: ReturnType<typeof podCounter>;

  const startAgent = async (nodeName: string) => {
    const agent = await NodeAgent.start({
      nodeName,
      client,
      logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      root: join(root, nodeName),
      runtimeName: 'fake',
      recordEvents: false,
      resyncMs: 500,
      leaseRenewMs: 500,
      statusUpdateMs: 1000,
      registry: new Registry(),
    });
    agents.set(nodeName, agent);
  };

  beforeAll(async () => {
    api = await startTestApiServer();
    client = await clientFor(api);
    root = await mkdtemp(join(tmpdir(), 'bosun-issue5-'));
    await client.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    );
    for (const n of NODE_NAMES) await startAgent(n);
    manager = startFastManager(client, 'cm-1');
    scheduler = (await startScheduler(api, 'sched-1')).svc;
    counter = podCounter(client);
  }, LONG);

  afterAll(async () => {
    await counter?.stop();
    await manager?.stop();
    await scheduler?.stop();
    for (const a of agents.values()) await a.stop().catch(() => undefined);
    client?.close();
    await api?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, LONG);

  it(
    'a Deployment of 10 (surge 25%, unavailable 25%) becomes 10 Running+Ready pods spread over the 5 nodes',
    async () => {
      await client.create(DEPLOYS(NS), deployment);
      const pods = await waitReady(client, '10 Ready pods');
      const counts = perNode(pods);
      // SelectorSpread and LeastAllocated only score, so the scheduler promises no exact 2 per node;
      // with the siblings it has assumed counted at once, every node gets some and none more than 3.
      expect(Object.keys(counts).sort()).toEqual(NODE_NAMES);
      expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(3);
    },
    LONG,
  );

  it(
    '3 deleted pods are replaced: back to 10 Ready',
    async () => {
      const victims = (await activePods(client)).slice(0, 3).map((p) => p.metadata.name ?? '');
      for (const v of victims) await deletePod(client, v);
      const pods = await waitReady(client, '10 Ready pods without the deleted ones', (ps) =>
        ps.every((p) => !victims.includes(p.metadata.name ?? '')),
      );
      expect(pods.map((p) => p.metadata.name)).not.toEqual(expect.arrayContaining(victims));
    },
    LONG,
  );

  it(
    'a node whose agent stops goes Ready=Unknown, is tainted unreachable, and its pods come back on the other 4 nodes',
    async () => {
      const pods = await activePods(client);
      // The node with the most pods, so the eviction surely has something to move.
      const counts = perNode(pods);
      const dead = NODE_NAMES.reduce((a, b) => ((counts[b] ?? 0) > (counts[a] ?? 0) ? b : a));
      const victims = pods.filter((p) => p.spec.nodeName === dead).map((p) => p.metadata.name);
      expect(victims.length).toBeGreaterThan(0);
      await agents.get(dead)!.stop();
      agents.delete(dead);

      const node = await waitFor(
        `${dead} Ready=Unknown with the unreachable NoExecute taint`,
        async () => {
          const n = await client.get<NodeObj>(NODES, dead);
          const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
          const tainted = (n.spec?.taints ?? []).some(
            (t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute',
          );
          return ready === 'Unknown' && tainted ? n : undefined;
        },
        LONG,
      );
      expect(node.spec?.taints).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }),
        ]),
      );
      const after = await waitReady(client, '10 Ready pods on the 4 live nodes', (ps) =>
        ps.every((p) => p.spec.nodeName !== dead),
      );
      expect(after.map((p) => p.metadata.name)).not.toEqual(expect.arrayContaining(victims));
      expect(Object.keys(perNode(after)).sort()).toEqual(NODE_NAMES.filter((n) => n !== dead));
    },
    LONG,
  );

  it(
    'a rollout survives a controller-manager restart and then a scheduler restart; the pod count never exceeds replicas + maxSurge',
    async () => {
      const dep = await client.get<Deploy>(DEPLOYS(NS), APP);
      await client.patch(DEPLOYS(NS), APP, {
        spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2.0' }] } } },
      });
      expect(dep.spec.template.spec!.containers[0].image).toBe('nginx:1.0');

      await manager.stop();
      // Nothing moves the rollout while no manager runs: it is surely unfinished at this point.
      const frozen = await client.get<Deploy>(DEPLOYS(NS), APP);
      expect(
        frozen.status?.observedGeneration === frozen.metadata.generation &&
          frozen.status?.updatedReplicas === REPLICAS &&
          frozen.status?.availableReplicas === REPLICAS,
      ).toBe(false);
      manager = startFastManager(client, 'cm-2');
      await scheduler.stop();
      // With the scheduler down, the resumed rollout leaves new pods pending: proof that the
      // restart really happens mid-rollout.
      await waitFor(
        'a pending pod of the new template',
        async () =>
          (await activePods(client)).some(
            (p) => !p.spec.nodeName && p.spec.containers[0].image === 'nginx:2.0',
          ) || undefined,
        LONG,
      );
      scheduler = (await startScheduler(api, 'sched-2')).svc;

      const rolled = await waitFor(
        'the rollout to complete',
        async () => {
          const d = await client.get<Deploy>(DEPLOYS(NS), APP);
          const s = d.status;
          return s?.observedGeneration === d.metadata.generation &&
            s?.replicas === REPLICAS &&
            s.updatedReplicas === REPLICAS &&
            s.availableReplicas === REPLICAS
            ? d
            : undefined;
        },
        LONG,
      );
      expect(rolled.spec.template.spec!.containers[0].image).toBe('nginx:2.0');
      await waitReady(client, '10 Ready pods of the new template', (ps) =>
        ps.every((p) => p.spec.containers[0].image === 'nginx:2.0'),
      );
      expect(counter.events).toBeGreaterThan(0);
      expect(counter.peak).toBeGreaterThanOrEqual(REPLICAS);
      expect(counter.peak).toBeLessThanOrEqual(REPLICAS + MAX_SURGE);
    },
    2 * LONG,
  );
});
