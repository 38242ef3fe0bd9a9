import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterPlan, NodePlan } from './cluster-plan';
import { inNamespacePrefix, tearDownNodeNetwork } from './node-network';
import { REPO_ROOT } from './paths';
import { isAlive, removeRunState, type RunState } from './run-state';

const run = promisify(execFile);
const CLEANUP_ENTRY = join(REPO_ROOT, 'apps', 'cli', 'dist', 'node-cleanup-main.js');

/** Grace period of the containers `bosun down` stops. */
export const CONTAINER_GRACE_MS = 10_000;

/**
 * Removes a runc node's pods from the host (containers, pod namespaces, cgroups, runc state) once
 * its agent is gone, inside the node's namespace. Returns a problem, or undefined.
 */
export async function cleanUpNode(plan: ClusterPlan, node: NodePlan): Promise<string | undefined> {
  if (plan.runtime !== 'runc' || !node.netns) return undefined;
  const [cmd, ...args] = [
    ...inNamespacePrefix(node.netns),
    process.execPath,
    CLEANUP_ENTRY,
    node.root,
    node.podCIDR,
    String(CONTAINER_GRACE_MS),
  ];
  try {
    await run(cmd, args, { timeout: CONTAINER_GRACE_MS + 30_000 });
    return undefined;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return `cleaning up ${node.name}: ${(err.stderr || err.message).trim().split('\n')[0]}`;
  }
}

/** Cleans every node, then removes the node network. Never throws; returns what went wrong. */
export async function releaseHost(plan: ClusterPlan): Promise<string[]> {
  const problems = (await Promise.all(plan.nodes.map((n) => cleanUpNode(plan, n)))).filter(
    (p): p is string => !!p,
  );
  if (plan.network) problems.push(...(await tearDownNodeNetwork(plan)));
  return problems;
}

/**
 * After a `bosun up` that died without stopping its cluster (SIGKILL, crash): stops the processes
 * its run file names (node agents first) and releases the host, so nothing is left behind and the
 * next `up` starts clean. State under BOSUN_HOME stays.
 */
export async function recoverCrashed(state: RunState): Promise<string[]> {
  await terminate(state.nodes.map((n) => n.pid));
  await terminate(state.services.map((s) => s.pid));
  const problems = await releaseHost(state.plan);
  removeRunState(state.home);
  return problems;
}

async function terminate(pids: readonly (number | null)[]): Promise<void> {
  const ours = pids.filter((p): p is number => p !== null && isAlive(p) && isBosunProcess(p));
  for (const pid of ours) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (ours.some(isAlive) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const pid of ours) if (isAlive(pid)) signal(pid, 'SIGKILL');
}

/** A pid from an old run file may have been reused: only signal what runs a Bosun service. */
function isBosunProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${join('dist', 'main.js')}`);
  } catch {
    return process.platform !== 'linux';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
