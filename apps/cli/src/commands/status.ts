import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { bosunHome } from '../paths';
import { nodeState } from '../node-agents';
import { isAlive, readRunState, type RunState } from '../run-state';
import { healthReady } from '../supervisor';
import type { Output } from '../output';

export const STATUS_USAGE = `Usage: bosun status [--output json]

Whether a cluster runs from this BOSUN_HOME: its services (pid, ready), its nodes (Ready, address,
pod CIDR, pid, network namespace), the API address, kubeconfig and runtime. Exits 1 when no cluster
runs.

Options:
  -o, --output json   one JSON object (keys are stable)
  -h, --help          this text
`;

/** `bosun status --output json`; the e2e suite relies on these keys. */
export interface ClusterStatus {
  readonly running: boolean;
  readonly phase?: RunState['phase'];
  readonly home: string;
  readonly pid?: number;
  readonly api?: string;
  readonly kubeconfig?: string;
  readonly runtime?: string;
  readonly runtimeReason?: string;
  readonly hostAddress?: string;
  readonly bridge?: string | null;
  readonly services?: readonly { name: string; pid: number | null; ready: boolean }[];
  readonly nodes?: readonly {
    name: string;
    /** The agent's pid; null when it is not running. */
    pid: number | null;
    address: string;
    netns: string | null;
    podCIDR: string;
    runtime: string;
    /** The Node's Ready condition as the api-server has it. */
    ready: boolean;
    root: string;
    logFile: string;
  }[];
}

/** Reads the run file and asks each process and the api-server how things are. */
export async function clusterStatus(home: string): Promise<ClusterStatus> {
  const state = readRunState(home);
  if (!state || !isAlive(state.pid)) return { running: false, home };
  const services = await Promise.all(
    state.services.map(async (s) => {
      const alive = isAlive(s.pid);
      return {
        name: s.name,
        pid: alive ? s.pid : null,
        ready: alive && (await healthReady(s.healthPort)),
      };
    }),
  );
  let client: ApiClient | undefined;
  try {
    client = new ApiClient(await loadKubeconfig(state.kubeconfig));
  } catch {
    client = undefined;
  }
  try {
    const nodes = await Promise.all(
      state.nodes.map(async (n) => ({
        name: n.name,
        pid: isAlive(n.pid) ? n.pid : null,
        address: n.address,
        netns: n.netns,
        podCIDR: n.podCIDR,
        runtime: state.runtime,
        ready: client ? (await nodeState(client, n.name)).ready : false,
        root: n.root,
        logFile: n.logFile,
      })),
    );
    return {
      running: state.phase === 'running',
      phase: state.phase,
      home,
      pid: state.pid,
      api: state.api,
      kubeconfig: state.kubeconfig,
      runtime: state.runtime,
      runtimeReason: state.runtimeReason,
      hostAddress: state.hostAddress,
      bridge: state.plan.network?.bridge ?? null,
      services,
      nodes,
    };
  } finally {
    client?.close();
  }
}

export async function status(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out.info(STATUS_USAGE);
      return 0;
    }
    if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
    if (values.output !== undefined && values.output !== 'json') {
      throw new Error(`--output must be json, not "${values.output}"`);
    }
    json = values.output === 'json';
  } catch (e) {
    out.error(`${e instanceof Error ? e.message : String(e)}\n\n${STATUS_USAGE}`);
    return 2;
  }
  const s = await clusterStatus(bosunHome(env));
  if (json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else printStatus(out, s);
  return s.running ? 0 : 1;
}

function printStatus(out: Output, s: ClusterStatus): void {
  if (!s.running) {
    out.info(
      s.phase ? `the cluster from ${s.home} is ${s.phase}` : `no cluster is running from ${s.home}`,
    );
    if (!s.phase) return;
  }
  const mark = (ok: boolean) => (ok ? 'ready' : 'NOT ready');
  out.info(`cluster from ${s.home} (bosun up pid ${s.pid})`);
  out.info(`  API         ${s.api}`);
  out.info(`  kubeconfig  ${s.kubeconfig}`);
  out.info(`  runtime     ${s.runtime} (${s.runtimeReason})`);
  if (s.bridge) out.info(`  node bridge ${s.bridge}, host address ${s.hostAddress}`);
  out.info('  services');
  for (const v of s.services ?? []) {
    out.info(`    ${v.name.padEnd(20)} ${mark(v.ready).padEnd(10)} pid ${v.pid ?? '-'}`);
  }
  out.info('  nodes');
  for (const n of s.nodes ?? []) {
    out.info(
      `    ${n.name.padEnd(10)} ${(n.ready ? 'Ready' : 'NotReady').padEnd(9)} ${n.address.padEnd(15)} pods ${n.podCIDR.padEnd(15)} pid ${n.pid ?? '- (agent not running)'}${n.netns ? `  netns ${n.netns}` : ''}`,
    );
  }
}
