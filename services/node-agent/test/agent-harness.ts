import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig, type KubeObject } from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import { FakeRuntime, type ContainerConfig, type FakeRuntimeOptions } from '@bosun/runtime';
import { waitFor } from '@bosun/testing';
import pino from 'pino';
import { Registry } from 'prom-client';
// The real api-server in this process (its own schema and home), as the brief asks, through its
// testing entry point: a test-only dependency of one service on another.
import { startTestApiServer, type TestApiServer } from '@bosun/api-server-service/testing';
import { NodeAgent, type NodeAgentOptions } from '../src/node-agent';
import type { Pod } from '../src/pods/pod-types';

const run = promisify(execFile);

export const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
export const EVENTS = { group: '', version: 'v1', resource: 'events', namespace: 'default' };
export const CONFIGMAPS = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  namespace: 'default',
};

/**
 * Fake containers whose command says what they do: `exit <code>` exits at once with that code,
 * anything else keeps running. Every started config is kept for assertions.
 */
export function scriptedFakeRuntime(extra: FakeRuntimeOptions = {}) {
  const started: ContainerConfig[] = [];
  const runtime = new FakeRuntime({
    ...extra,
    onStart: (config) => {
      started.push(config);
      const cmd = config.command ?? [];
      if (cmd[0] === 'exit') return { exitCode: Number(cmd[1] ?? 0) };
      return { run: true };
    },
  });
  return { runtime, started };
}

export interface AgentHarness {
  readonly api: TestApiServer;
  readonly client: ApiClient;
  readonly root: string;
  startAgent(overrides?: Partial<NodeAgentOptions>): Promise<NodeAgent>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<AgentHarness> {
  const api = await startTestApiServer();
  const client = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
  const root = await mkdtemp(join(tmpdir(), 'bosun-agent-'));
  const agents: NodeAgent[] = [];
  return {
    api,
    client,
    root,
    async startAgent(overrides = {}) {
      // An agent that serves NodeAgentService accepts only its node's own token, and the
      // api-server presents only that (never its own): publish it as a bootstrap join would.
      if (overrides.serve)
        await publishNodeToken(client, overrides.nodeName ?? 'node-a', overrides.serve.token);
      const agent = await NodeAgent.start({
        nodeName: 'node-a',
        client,
        logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
        root,
        runtimeName: 'fake',
        backoff: { initialMs: 300, maxMs: 1200, resetAfterMs: 60_000 },
        resyncMs: 100,
        leaseRenewMs: 200,
        statusUpdateMs: 500,
        registry: new Registry(),
        ...overrides,
      });
      agents.push(agent);
      return agent;
    },
    async stop() {
      for (const a of agents) await a.stop().catch(() => undefined);
      client.close();
      await api.stop();
      // tmpfs emptyDirs of pods the test did not delete are still mounted under root.
      for (const m of mountsUnder(root)) {
        await run('umount', ['-l', m]).catch(() => undefined);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The node-token Secret through which the api-server knows what `nodeName`'s agent accepts. */
export async function publishNodeToken(
  client: ApiClient,
  nodeName: string,
  token: string,
): Promise<void> {
  await client.create(
    { ...Resources.secrets, namespace: 'kube-system' },
    {
      metadata: { name: `node-token-${nodeName}` },
      type: 'bosun.dev/node-token',
      stringData: { 'node-name': nodeName, token },
    },
  );
}

/** A token for an agent to serve with (as long as a node agent's own). */
export const nodeServingToken = (): string => randomBytes(32).toString('base64url');

export function pod(name: string, spec: Partial<Pod['spec']>, node = 'node-a'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      nodeName: node,
      containers: [{ name: 'main', image: 'busybox:1.36' }],
      ...spec,
    },
  };
}

export async function getPod(client: ApiClient, name: string): Promise<Pod> {
  return client.get<Pod>(PODS, name);
}

/** Waits until the pod satisfies `check`; returns it. */
export async function waitForPod(
  client: ApiClient,
  name: string,
  check: (p: Pod) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<Pod> {
  let last: Pod | undefined;
  try {
    return await waitFor(
      async () => {
        last = await getPod(client, name);
        return check(last) ? last : undefined;
      },
      { timeoutMs, what: `pod ${name}: ${what}`, intervalMs: 50 },
    );
  } catch (e) {
    // Say what the pod looked like: a timeout alone explains nothing.
    const events = (await client.list<KubeObject>(EVENTS).catch(() => ({ items: [] }))).items
      .filter((ev) => (ev.involvedObject as { name?: string }).name === name)
      .map((ev) => `${String(ev.reason)}: ${String(ev.message)}`);
    throw new Error(
      `${(e as Error).message}; last status: ${JSON.stringify(last?.status)}; events: ${events.join(' | ')}`,
    );
  }
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m): m is string => m !== undefined && m.startsWith(dir))
    .reverse();
}

/**
 * Deletes a pod. No retry: a delete without preconditions never fails on the agent's concurrent
 * status write (the api-server retries its read-modify-write, as kube-apiserver does).
 */
export async function deletePod(client: ApiClient, name: string): Promise<void> {
  await client.delete(PODS, name);
}

export async function eventReasons(client: ApiClient, podName: string): Promise<string[]> {
  const list = await client.list<KubeObject>(EVENTS);
  return list.items
    .filter((e) => (e.involvedObject as { name?: string }).name === podName)
    .map((e) => String(e.reason));
}
