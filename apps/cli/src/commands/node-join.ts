import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { constants, homedir } from 'node:os';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { apiGet } from '../api-get';
import { parseToken, tokenString } from '../bootstrap-token';
import {
  endpointOf,
  fetchPresentedChain,
  parseCaCertHash,
  pickPinnedCa,
  readPemCertificate,
  verifyServerWithCa,
} from '../ca-pinning';
import { runCommand, type CommandSpec } from '../command-help';
import { stringFlag, UsageError, type ParsedArgs } from '../flags';
import type { Output } from '../output';
import { REPO_ROOT } from '../paths';

export const nodeJoinSpec: CommandSpec = {
  path: 'node join',
  description: `Join this machine to a cluster as a worker node, and run its node agent in the foreground.

The api-server is verified before anything is sent to it: with --ca-cert-hash the command reads
the certificates the server presents without trusting them and keeps the CA whose public key
matches the hash (as \`kubeadm join --discovery-token-ca-cert-hash\`); with --ca-file it trusts that
CA. The CA is written to <root>/ca.crt; the node agent joins with the bootstrap token, then keeps a
credential of its own in <root>/kubeconfig. Ctrl-C stops the agent; the command exits with its code.
Other agent settings come from its environment (NODE_AGENT_GRPC_PORT, NODE_AGENT_HTTP_PORT, ...).`,
  usage: [
    'node join <api-server-url> --token <token> (--ca-cert-hash sha256:<hex> | --ca-file PATH) [flags]',
  ],
  flags: {
    token: { type: 'string' },
    'ca-cert-hash': { type: 'string' },
    'ca-file': { type: 'string' },
    name: { type: 'string' },
    runtime: { type: 'string' },
    root: { type: 'string' },
    'pod-cidr': { type: 'string' },
  },
  flagHelp: [
    {
      flag: '--token TOKEN',
      text: 'bootstrap token <id>.<secret> from `bosun token create` (required)',
    },
    {
      flag: '--ca-cert-hash sha256:HEX',
      text: "pin of the cluster CA's public key (from `bosun token create --print-join-command`)",
    },
    { flag: '--ca-file PATH', text: 'PEM file of the cluster CA, instead of --ca-cert-hash' },
    { flag: '--name NAME', text: 'name of the Node (default: the host name, lower-cased)' },
    {
      flag: '--runtime runc|process',
      text: 'container runtime (default: runc as root with runc installed, else process)',
    },
    {
      flag: '--root DIR',
      text: 'state directory (default /var/lib/bosun/node-agent as root, else ~/.bosun-node)',
    },
    { flag: '--pod-cidr CIDR', text: "the node's pod address range (default 10.244.0.0/24)" },
  ],
  examples: [
    '# What `bosun token create --print-join-command` printed on the control plane',
    'bosun node join https://10.0.0.1:6443 --token abcdef.0123456789abcdef \\',
    '    --ca-cert-hash sha256:1f2e...9a',
    '',
    '# Without root or runc, under another name',
    'bosun node join https://10.0.0.1:6443 --token abcdef.0123456789abcdef --ca-file ca.crt \\',
    '    --runtime process --name worker-2',
  ],
};

/** What `bosun node join` decided from its command line, before it touches the network. */
export interface JoinPlan {
  readonly server: URL;
  readonly token: string;
  readonly trust: { readonly hash: string } | { readonly caFile: string };
  readonly root: string;
  readonly nodeName?: string;
  readonly runtime?: 'runc' | 'process';
  readonly podCidr?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function defaultRoot(uid: number | undefined, home: string): string {
  return uid === 0 ? '/var/lib/bosun/node-agent' : join(home, '.bosun-node');
}

/** The command line as a plan, or a UsageError that names the flag at fault. */
export function planJoin(p: ParsedArgs, env: NodeJS.ProcessEnv): JoinPlan {
  if (p.positionals.length === 0)
    throw new UsageError('missing the api-server URL, e.g. https://10.0.0.1:6443');
  if (p.positionals.length > 1) throw new UsageError(`unexpected argument "${p.positionals[1]}"`);
  const server = parseServerUrl(p.positionals[0]);
  const rawToken = stringFlag(p, 'token');
  if (rawToken === '')
    throw new UsageError('--token is required (a bootstrap token from `bosun token create`)');
  let token: string;
  try {
    token = tokenString(parseToken(rawToken));
  } catch (e) {
    throw new UsageError(`invalid --token: ${(e as Error).message}`);
  }
  const hash = stringFlag(p, 'ca-cert-hash');
  const caFile = stringFlag(p, 'ca-file');
  if (hash !== '' && caFile !== '')
    throw new UsageError('give either --ca-cert-hash or --ca-file, not both');
  if (hash === '' && caFile === '') {
    throw new UsageError(
      'one of --ca-cert-hash or --ca-file is required: without it, nothing proves the server at this address is your cluster',
    );
  }
  let trust: JoinPlan['trust'];
  try {
    trust = hash !== '' ? { hash: parseCaCertHash(hash) } : { caFile: resolve(caFile) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const nodeName = stringFlag(p, 'name') || undefined;
  if (nodeName !== undefined && (nodeName.length > 253 || !DNS_SUBDOMAIN.test(nodeName))) {
    throw new UsageError(
      `invalid --name "${nodeName}": a Node name is lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    );
  }
  const runtime = stringFlag(p, 'runtime') || undefined;
  if (runtime !== undefined && runtime !== 'runc' && runtime !== 'process') {
    throw new UsageError(
      `invalid argument "${runtime}" for "--runtime" flag: one of runc, process`,
    );
  }
  const podCidr = stringFlag(p, 'pod-cidr') || undefined;
  if (podCidr !== undefined && !isCidr(podCidr)) {
    throw new UsageError(
      `invalid argument "${podCidr}" for "--pod-cidr" flag: not a CIDR such as 10.244.1.0/24`,
    );
  }
  const root = resolve(
    stringFlag(p, 'root') || defaultRoot(process.getuid?.(), env.HOME || homedir()),
  );
  return { server, token, trust, root, nodeName, runtime, podCidr };
}

export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new UsageError(`invalid api-server URL "${raw}": expected https://<host>:<port>`);
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(`invalid api-server URL "${raw}": the api-server speaks https only`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '') {
    throw new UsageError(
      `invalid api-server URL "${raw}": expected https://<host>:<port> and nothing more`,
    );
  }
  return url;
}

export function isCidr(text: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (m === null) return false;
  const family = isIP(m[1]);
  const bits = Number(m[2]);
  return family !== 0 && bits <= (family === 4 ? 32 : 128);
}

/** The api-server URL as the agent gets it: origin only, no trailing slash. */
const serverOrigin = (u: URL): string => u.origin;

/**
 * Proves the server is the cluster (pinned or given CA, hostname checked) and returns the CA's PEM.
 */
export async function verifyServer(plan: JoinPlan, out: Output): Promise<string> {
  const ep = endpointOf(plan.server);
  let caPem: string;
  if ('hash' in plan.trust) {
    out.progress(`reading the certificates ${ep.host}:${ep.port} presents`);
    const chain = await fetchPresentedChain(ep);
    caPem = pickPinnedCa(chain, [plan.trust.hash]).toString();
  } else {
    let text: string;
    try {
      text = await readFile(plan.trust.caFile, 'utf8');
    } catch (e) {
      throw new Error(`cannot read --ca-file ${plan.trust.caFile}: ${(e as Error).message}`);
    }
    caPem = readPemCertificate(text, `--ca-file ${plan.trust.caFile}`).toString();
  }
  await verifyServerWithCa(ep, caPem);
  return caPem;
}

/** One authenticated request: a refused token fails here, clearly, rather than in the agent's log. */
export async function checkToken(plan: JoinPlan, caPem: string): Promise<void> {
  const { status, body } = await apiGet(
    { server: serverOrigin(plan.server), caPem, token: plan.token, namespace: 'default' },
    '/api',
  );
  if (status === 401) {
    throw new Error(
      'the bootstrap token was refused by the api-server (401 Unauthorized): it is wrong, expired or deleted. ' +
        'Create a new one on the control plane with `bosun token create --print-join-command`.',
    );
  }
  if (status >= 500)
    throw new Error(`the api-server answered ${status}: ${body.trim().slice(0, 200)}`);
}

/** The node agent's environment for this join (the agent reads its config from it). */
export function agentEnv(
  plan: JoinPlan,
  caFile: string,
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    NODE_AGENT_API_SERVER: serverOrigin(plan.server),
    NODE_AGENT_BOOTSTRAP_TOKEN: plan.token,
    NODE_AGENT_CA_FILE: caFile,
    NODE_AGENT_ROOT: plan.root,
  };
  // A kubeconfig would win over the join settings in the agent.
  delete env.NODE_AGENT_KUBECONFIG;
  if (plan.nodeName) env.NODE_NAME = plan.nodeName;
  if (plan.runtime) env.NODE_AGENT_RUNTIME = plan.runtime;
  if (plan.podCidr) env.NODE_AGENT_POD_CIDR = plan.podCidr;
  return env;
}

export const NODE_AGENT_ENTRY = join(REPO_ROOT, 'services', 'node-agent', 'dist', 'main.js');

export interface NodeJoinDeps {
  /** Aborting stops the agent as Ctrl-C would (tests). */
  readonly signal?: AbortSignal;
  readonly agentEntry?: string;
  /** Where the agent's output goes (tests); default: this terminal. */
  readonly agentOutput?: number;
}

/** `bosun node join`. */
export async function nodeJoin(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  deps: NodeJoinDeps = {},
): Promise<number> {
  return runCommand(nodeJoinSpec, args, out, async (p) => {
    const plan = planJoin(p, env);
    const entry = deps.agentEntry ?? NODE_AGENT_ENTRY;
    if (!existsSync(entry)) {
      throw new Error(
        `the node agent is not built (${entry} is missing): run \`npm run build\` first`,
      );
    }
    const caPem = await verifyServer(plan, out);
    await checkToken(plan, caPem);
    await mkdir(plan.root, { recursive: true, mode: 0o700 });
    const caFile = join(plan.root, 'ca.crt');
    await writeFile(caFile, caPem, { mode: 0o644 });
    await chmod(caFile, 0o644);
    out.info(
      `api-server ${serverOrigin(plan.server)} verified; CA written to ${caFile}; starting the node agent (state in ${plan.root}, Ctrl-C stops it)`,
    );
    return runAgent(entry, agentEnv(plan, caFile, env), deps.signal, deps.agentOutput);
  });
}

/** Runs the agent in the foreground, passing SIGINT/SIGTERM on; resolves with its exit code. */
export function runAgent(
  entry: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  outputFd?: number,
): Promise<number> {
  return new Promise((resolveCode, reject) => {
    const out = outputFd ?? 'inherit';
    // Its own process group: a Ctrl-C on the terminal reaches this process only, which passes it
    // on once. In the terminal's group the agent would get it twice (from the terminal and from
    // us), and the second, arriving after its handler is gone, would cut its shutdown short.
    const child = spawn(process.execPath, [entry], {
      env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    const forward = (sig: NodeJS.Signals) => (): void => {
      child.kill(sig);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    signal?.addEventListener('abort', onTerm, { once: true });
    const cleanup = (): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onTerm);
    };
    child.once('error', (e) => {
      cleanup();
      reject(new Error(`cannot start the node agent: ${e.message}`));
    });
    child.once('exit', (code, sig) => {
      cleanup();
      resolveCode(code ?? 128 + (sig ? (constants.signals[sig] ?? 15) : 15));
    });
  });
}

/** `bosun node <subcommand>`: today `join`. */
export async function node(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'join') return nodeJoin(rest, env, out);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    out.info(
      "Manage this machine as a node of a cluster.\n\nUsage:\n  bosun node join <api-server-url> --token <token> (--ca-cert-hash sha256:<hex> | --ca-file PATH) [flags]\n\nRun 'bosun node join --help' for its flags and examples.",
    );
    return 0;
  }
  out.error(`unknown command "${sub}" for "bosun node"\nSee 'bosun node --help' for usage.`);
  return 2;
}
