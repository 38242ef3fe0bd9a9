import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { checkPrerequisites, DEFAULT_NATS_URL } from '../prerequisites';
import { bosunHome, logDir, runDir } from '../paths';
import { clusterPorts, clusterServices, NOT_YET_STARTED, type ServiceSpec } from '../services';
import {
  healthReady,
  restartOnExit,
  startService,
  stopAll,
  stopOne,
  waitReady,
  type Supervised,
} from '../supervisor';
import type { Output } from '../output';
import {
  chooseSubnet,
  clusterId,
  Isolation,
  MAX_NODES,
  planCluster,
  type ClusterPlan,
  type NodeRuntime,
} from '../cluster-plan';
import { chooseNodeRuntime, describeRuntime, type RuntimeChoice } from '../runtime-choice';
import { hostRoutedCidrs, setUpNodeNetwork } from '../node-network';
import {
  nodeAgentSpec,
  nodeState,
  nodeToken,
  readySince,
  writeNodeKubeconfig,
} from '../node-agents';
import { readNetworkState, writeNetworkState } from '../network-state';
import { freePort } from '../free-port';
import { Progress } from '../progress';
import {
  isAlive,
  readRunState,
  removeRunState,
  writeRunState,
  type NodeRun,
  type RunState,
} from '../run-state';
import { recoverCrashed, releaseHost } from '../cluster-stop';

/** `npm start` uses the `postgres` database; the tests use `test`. */
export const DEFAULT_CLUSTER_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_NODES = 2;

export const UP_USAGE = `Usage: bosun up [--nodes N] [--runtime runc|process]

Starts a local cluster in the foreground: api-server, scheduler, controller-manager and N node
agents, each its own process. As root with runc, every node runs in its own network namespace
with its own address (a separate "host"); otherwise nodes are processes on loopback. Ctrl-C or
\`bosun down\` stops everything; state stays in BOSUN_HOME and the next \`up\` finds the same cluster.

Options:
  --nodes N          node agents to start (1-${MAX_NODES}; default: as last time, else ${DEFAULT_NODES})
  --runtime NAME     runc (default as root with runc) or process (no isolation)
  -h, --help         this text
`;

export interface UpOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
  readonly readyTimeoutMs?: number;
  readonly out: Output;
}

interface UpFlags {
  readonly nodes?: number;
  readonly runtime?: NodeRuntime;
  readonly help: boolean;
}

/** Parses `bosun up` flags strictly; a bad one throws with a message for the usage error. */
export function parseUpArgs(args: readonly string[]): UpFlags {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      nodes: { type: 'string' },
      runtime: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  let nodes: number | undefined;
  if (values.nodes !== undefined) {
    nodes = Number(values.nodes);
    if (!/^\d+$/.test(values.nodes) || nodes < 1 || nodes > MAX_NODES) {
      throw new Error(
        `--nodes must be a whole number from 1 to ${MAX_NODES}, not "${values.nodes}"`,
      );
    }
  }
  const runtime = values.runtime;
  if (runtime !== undefined && runtime !== 'runc' && runtime !== 'process') {
    throw new Error(`--runtime must be runc or process, not "${runtime}"`);
  }
  return { nodes, runtime, help: values.help === true };
}

/**
 * Brings the local cluster up in the foreground and keeps it up until SIGINT/SIGTERM (Ctrl-C) or
 * `bosun down`; state stays under BOSUN_HOME, so the next `bosun up` finds the same cluster.
 */
export async function up(opts: UpOptions): Promise<number> {
  const { env, out } = opts;
  let flags: UpFlags;
  try {
    flags = parseUpArgs(opts.args ?? []);
  } catch (e) {
    out.error(`${e instanceof Error ? e.message : String(e)}\n\n${UP_USAGE}`);
    return 2;
  }
  if (flags.help) {
    out.info(UP_USAGE);
    return 0;
  }
  const home = bosunHome(env);
  const databaseUrl = env.DATABASE_URL || DEFAULT_CLUSTER_DATABASE_URL;
  const problems = await checkPrerequisites({ ...env, DATABASE_URL: databaseUrl });
  if (problems.length) {
    for (const p of problems) out.error(`${p.what} is not reachable: ${p.detail}\n  fix: ${p.fix}`);
    return 1;
  }
  const previous = readRunState(home);
  if (previous && isAlive(previous.pid)) {
    out.error(`a cluster is already running from ${home} (bosun down stops it)`);
    return 1;
  }
  mkdirSync(runDir(home), { recursive: true });
  if (previous) {
    out.info(`cleaning up after an earlier bosun up (pid ${previous.pid}) that did not stop`);
    for (const p of await recoverCrashed(previous)) out.error(p);
  }
  let choice: RuntimeChoice;
  let plan: ClusterPlan;
  try {
    choice = chooseNodeRuntime(flags.runtime);
    plan = await makePlan(home, flags.nodes, choice);
  } catch (e) {
    out.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
  return new Cluster(opts, home, databaseUrl, choice, plan).run();
}

async function makePlan(
  home: string,
  flagNodes: number | undefined,
  choice: RuntimeChoice,
): Promise<ClusterPlan> {
  const saved = readNetworkState(home);
  const nodes = flagNodes ?? saved?.nodes ?? DEFAULT_NODES;
  const netns = choice.isolation === Isolation.Netns;
  const subnet = netns
    ? (saved?.subnet ?? chooseSubnet(clusterId(home), await hostRoutedCidrs()))
    : saved?.subnet;
  const ports: [number, number][] = [];
  if (!netns) for (let i = 0; i < nodes; i++) ports.push([await freePort(), await freePort()]);
  const plan = planCluster({
    home,
    nodes,
    runtime: choice.runtime,
    isolation: choice.isolation,
    subnet,
    ports,
  });
  writeNetworkState(home, { subnet, nodes });
  return plan;
}

/** One run of a cluster: start in order, supervise, stop in order. */
class Cluster {
  private readonly controlPlane: Supervised[] = [];
  private readonly agents = new Map<string, Supervised>();
  private nodeRuns: NodeRun[] = [];
  private stopping: string | undefined;
  private readonly onSignal = (sig: NodeJS.Signals) => this.requestStop(sig);
  private stopRequested: (why: string) => void = () => undefined;
  private readonly stopped = new Promise<string>((r) => (this.stopRequested = r));
  private state: RunState;

  constructor(
    private readonly opts: UpOptions,
    private readonly home: string,
    private readonly databaseUrl: string,
    private readonly choice: RuntimeChoice,
    private readonly plan: ClusterPlan,
  ) {
    const ports = clusterPorts(opts.env);
    this.state = {
      pid: process.pid,
      phase: 'starting',
      home,
      api: `https://127.0.0.1:${ports.api}`,
      kubeconfig: join(home, 'kubeconfig'),
      runtime: choice.runtime,
      runtimeReason: choice.reason,
      hostAddress: plan.hostAddress,
      startedAt: new Date().toISOString(),
      plan,
      services: [],
      nodes: [],
    };
  }

  private requestStop(why: string): void {
    if (this.stopping) return;
    this.stopping = why;
    this.stopRequested(why);
  }

  async run(): Promise<number> {
    const { out, env } = this.opts;
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    writeRunState(this.home, this.state);
    try {
      await this.start();
    } catch (e) {
      out.error(e instanceof Error ? e.message : String(e));
      await this.stop();
      return this.stopping === 'SIGINT' || this.stopping === 'SIGTERM' ? 0 : 1;
    }
    this.save({ phase: 'running' });
    this.printSummary(clusterPorts(env).api);
    // A control-plane process that dies is started again (with back-off): the cluster converges.
    for (const [i, s] of this.controlPlane.entries()) {
      void restartOnExit(s, logDir(this.home), {
        active: () => !this.stopping,
        onExit: (dead, why, delayMs) =>
          out.info(
            `! ${dead.spec.name} stopped (${why}); restarting it in ${delayMs / 1000} s; see ${dead.logFile}`,
          ),
        onRestart: (next) => {
          this.controlPlane[i] = next;
          this.save({ services: this.controlPlane.map(serviceRun) });
          out.info(`✓ ${next.spec.name} restarted (pid ${next.child.pid})`);
        },
      });
    }
    const why = await this.stopped;
    out.info(`stopping (${why})`);
    await this.stop();
    return why === 'SIGINT' || why === 'SIGTERM' ? 0 : 1;
  }

  private async start(): Promise<void> {
    const { env, out } = this.opts;
    const ports = clusterPorts(env);
    const netns = this.plan.isolation === Isolation.Netns;
    const specs = clusterServices(
      this.home,
      ports,
      this.databaseUrl,
      env.NATS_URL || DEFAULT_NATS_URL,
      env.DATABASE_SCHEMA || 'bosun',
      netns
        ? { bind: '0.0.0.0', tlsHosts: [this.plan.hostAddress] }
        : { bind: '127.0.0.1', tlsHosts: [] },
    );
    const progress = new Progress(out, (netns ? 1 : 0) + specs.length + this.plan.nodes.length);
    const timeout = this.opts.readyTimeoutMs ?? 60_000;
    if (netns) {
      progress.begin(`creating the node network on ${this.plan.network!.bridge}`);
      await setUpNodeNetwork(this.plan);
      progress.done(
        `node network ${this.plan.network!.subnet} on ${this.plan.network!.bridge} (host ${this.plan.hostAddress})`,
      );
    }
    for (const spec of specs) {
      const label = `waiting for ${spec.name} to be ready`;
      progress.begin(`starting ${spec.name}`);
      const s = this.launch(spec);
      this.controlPlane.push(s);
      this.save({ services: this.controlPlane.map(serviceRun) });
      await waitReady(
        s,
        timeout,
        (ms) => progress.tick(label, ms),
        () => healthReady(spec.healthPort),
        () => this.stopping,
      );
      progress.done(`${spec.name} ready (pid ${s.child.pid}, logs ${s.logFile})`);
    }
    await this.startNodes(progress, ports.api, timeout);
  }

  private async startNodes(progress: Progress, apiPort: number, timeoutMs: number): Promise<void> {
    const admin = await loadKubeconfig(join(this.home, 'kubeconfig'));
    const client = new ApiClient(admin);
    try {
      const server = `https://${this.plan.hostAddress}:${apiPort}`;
      const since = new Date();
      for (const node of this.plan.nodes) {
        const token = await nodeToken(client, node.name);
        await writeNodeKubeconfig(node, server, admin.caPem, token);
        const s = this.launch(nodeAgentSpec(this.plan, node));
        this.agents.set(node.name, s);
        void s.exited.then((why) => this.nodeExited(node.name, why));
      }
      this.nodeRuns = this.plan.nodes.map((n) => ({
        name: n.name,
        pid: this.agents.get(n.name)?.child.pid ?? null,
        address: n.address,
        netns: n.netns ?? null,
        podCIDR: n.podCIDR,
        root: n.root,
        logFile: this.agents.get(n.name)!.logFile,
      }));
      this.save({ nodes: this.nodeRuns });
      for (const node of this.plan.nodes) {
        const s = this.agents.get(node.name)!;
        const label = `waiting for ${node.name} to be Ready`;
        progress.begin(`starting ${node.name} (${node.address}, ${this.plan.runtime})`);
        await waitReady(
          s,
          timeoutMs,
          (ms) => progress.tick(label, ms),
          async () => readySince(await nodeState(client, node.name), since),
          () => this.stopping,
        );
        progress.done(
          `${node.name} Ready (pid ${s.child.pid}, ${node.address}, pods ${node.podCIDR})`,
        );
      }
    } finally {
      client.close();
    }
  }

  private launch(spec: ServiceSpec): Supervised {
    return startService(spec, logDir(this.home));
  }

  /** A node agent that dies does not take the cluster down (its node goes NotReady). */
  private nodeExited(name: string, why: string): void {
    if (this.stopping) return;
    const s = this.agents.get(name);
    this.opts.out.info(
      `! node agent ${name} stopped (${why}); the cluster keeps running, the node will go NotReady; see ${s?.logFile}`,
    );
    this.nodeRuns = this.nodeRuns.map((n) => (n.name === name ? { ...n, pid: null } : n));
    this.save({ nodes: this.nodeRuns });
  }

  /** Node agents first (then their pods), then the control plane, then the node network. */
  private async stop(): Promise<void> {
    const { out } = this.opts;
    this.stopping ??= 'stop';
    this.save({ phase: 'stopping' });
    await Promise.all([...this.agents.values()].map((s) => stopOne(s)));
    if (this.agents.size) out.info('✓ node agents stopped');
    await stopAll(this.controlPlane);
    out.info('✓ control plane stopped');
    const problems = await releaseHost(this.plan);
    for (const p of problems) out.error(p);
    if (this.plan.runtime === 'runc') out.info('✓ pods, node namespaces and bridge removed');
    removeRunState(this.home);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    out.info('stopped; state kept in ' + this.home);
  }

  private save(patch: Partial<RunState>): void {
    this.state = { ...this.state, ...patch };
    writeRunState(this.home, this.state);
  }

  private printSummary(apiPort: number): void {
    const { out } = this.opts;
    const kubeconfig = join(this.home, 'kubeconfig');
    out.info('');
    out.info('Bosun is up.');
    out.info(`  API         https://127.0.0.1:${apiPort}`);
    if (this.plan.network) {
      out.info(
        `              nodes reach it at https://${this.plan.hostAddress}:${apiPort} (bridge ${this.plan.network.bridge})`,
      );
    }
    out.info(`  kubeconfig  ${kubeconfig}`);
    out.info(`  runtime     ${describeRuntime(this.choice)}`);
    out.info(`  nodes       ${this.plan.nodes.length}`);
    for (const n of this.plan.nodes) {
      const where = n.netns ? `${n.address}  netns ${n.netns}` : `${n.address}:${n.grpcPort}`;
      out.info(`    ${n.name.padEnd(10)} ${where}  pods ${n.podCIDR}  ${this.plan.runtime}`);
    }
    out.info(`  not started ${NOT_YET_STARTED.join(', ')} (skeletons so far)`);
    out.info(`  logs        ${logDir(this.home)}`);
    out.info('');
    out.info(`  export KUBECONFIG=${kubeconfig}`);
    out.info('');
    out.info('Ctrl-C or `npx bosun down` stops it; the next `npm start` finds the same cluster.');
  }
}

function serviceRun(s: Supervised) {
  return {
    name: s.spec.name,
    pid: s.child.pid ?? 0,
    healthPort: s.spec.healthPort,
    logFile: s.logFile,
  };
}
