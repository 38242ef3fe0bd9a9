import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IP, RUNC } from './prerequisites';

const run = promisify(execFile);

/** A node agent's state directory: `<BOSUN_HOME>/nodes/<node>` (see apps/cli cluster-plan). */
export const nodeRoot = (home: string, node: string): string => join(home, 'nodes', node);

/** Where the agent's runc runtime keeps runc's own state (`runc --root`). */
export const runcRoot = (home: string, node: string): string =>
  join(nodeRoot(home, node), 'runtime', 'runc');

/** The pid of a container's init process on the host, from `runc state`. */
export async function containerPid(root: string, containerId: string): Promise<number> {
  const { stdout } = await run(RUNC, ['--root', root, 'state', containerId]);
  const state = JSON.parse(stdout) as { pid: number; status: string };
  if (state.status !== 'running' || !state.pid) {
    throw new Error(`container ${containerId} is ${state.status}, not running`);
  }
  return state.pid;
}

/** The containers runc knows under `root` (none when the root does not exist). */
export async function runcContainers(root: string): Promise<string[]> {
  try {
    const { stdout } = await run(RUNC, ['--root', root, 'list', '--format', 'json']);
    const list = JSON.parse(stdout || 'null') as { id: string }[] | null;
    return (list ?? []).map((c) => c.id);
  } catch {
    return [];
  }
}

export async function netnsNames(): Promise<string[]> {
  const { stdout } = await run(IP, ['netns', 'list']);
  return stdout
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n !== '');
}

export async function linkExists(name: string): Promise<boolean> {
  return run(IP, ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}

/** The host interface that carries `address` (the cluster's node bridge). */
export async function interfaceWithAddress(address: string): Promise<string | undefined> {
  const { stdout } = await run(IP, ['-o', '-4', 'addr', 'show']);
  const line = stdout.split('\n').find((l) => l.includes(` inet ${address}/`));
  return line?.split(/\s+/)[1];
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pod sandbox ids a node's runtime has on disk (each is also the name of a pod netns). */
export function sandboxIds(home: string, node: string): string[] {
  try {
    return readdirSync(join(nodeRoot(home, node), 'runtime', 'sandboxes'));
  } catch {
    return [];
  }
}

/** What a cluster put on this host: everything `bosun down` must take away again. */
export interface HostFootprint {
  readonly home: string;
  readonly nodes: Set<string>;
  readonly nodeNetns: Set<string>;
  readonly bridges: Set<string>;
  readonly sandboxes: Set<string>;
  readonly pids: Set<number>;
}

export function emptyFootprint(home: string): HostFootprint {
  return {
    home,
    nodes: new Set(),
    nodeNetns: new Set(),
    bridges: new Set(),
    sandboxes: new Set(),
    pids: new Set(),
  };
}

/** What is still on the host of a footprint: namespaces, links, runc containers, processes. */
export async function leftovers(f: HostFootprint): Promise<string[]> {
  const out: string[] = [];
  const netns = new Set(await netnsNames());
  for (const n of f.nodeNetns) if (netns.has(n)) out.push(`node netns ${n}`);
  for (const s of f.sandboxes) if (netns.has(s)) out.push(`pod netns ${s}`);
  for (const b of f.bridges) if (await linkExists(b)) out.push(`bridge ${b}`);
  for (const node of f.nodes) {
    for (const id of await runcContainers(runcRoot(f.home, node))) {
      out.push(`runc container ${id} (node ${node})`);
    }
  }
  for (const pid of f.pids) if (processAlive(pid)) out.push(`process ${pid}`);
  return out;
}

/**
 * Best effort, after a failed run only: removes what `leftovers` found, so the next run of any
 * suite on this machine starts clean. (The test has already failed on the leak.)
 */
export async function removeLeftovers(f: HostFootprint): Promise<void> {
  const quiet = (cmd: string, args: string[]) => run(cmd, args).catch(() => undefined);
  for (const pid of f.pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const node of f.nodes) {
    const root = runcRoot(f.home, node);
    for (const id of await runcContainers(root)) {
      await quiet(RUNC, ['--root', root, 'kill', id, 'KILL']);
      await new Promise((r) => setTimeout(r, 200));
      await quiet(RUNC, ['--root', root, 'delete', '--force', id]);
    }
  }
  const netns = new Set(await netnsNames());
  for (const n of [...f.sandboxes, ...f.nodeNetns]) {
    if (netns.has(n)) await quiet(IP, ['netns', 'del', n]);
  }
  for (const b of f.bridges) await quiet(IP, ['link', 'del', 'dev', b]);
}
