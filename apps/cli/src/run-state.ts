import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pidFile } from './paths';
import type { ClusterPlan } from './cluster-plan';

/** A control-plane process of a running cluster. */
export interface ServiceRun {
  readonly name: string;
  readonly pid: number;
  readonly healthPort: number;
  readonly logFile: string;
}

/** A node agent of a running cluster; `pid` is null once it has stopped. */
export interface NodeRun {
  readonly name: string;
  readonly pid: number | null;
  readonly address: string;
  readonly netns: string | null;
  readonly podCIDR: string;
  readonly root: string;
  readonly logFile: string;
}

/**
 * What `bosun up` writes to `<home>/run/bosun-up.json` while the cluster runs: `bosun status`
 * reports from it, `bosun down` stops what it names (also after a crashed `up`), and tests find
 * the node agents' pids in it.
 */
export interface RunState {
  /** The `bosun up` process. */
  readonly pid: number;
  /** `running` once every process is ready and the summary printed. */
  readonly phase: 'starting' | 'running' | 'stopping';
  readonly home: string;
  readonly api: string;
  readonly kubeconfig: string;
  readonly runtime: string;
  readonly runtimeReason: string;
  readonly hostAddress: string;
  readonly startedAt: string;
  readonly plan: ClusterPlan;
  readonly services: readonly ServiceRun[];
  readonly nodes: readonly NodeRun[];
}

export function readRunState(home: string): RunState | undefined {
  try {
    const state = JSON.parse(readFileSync(pidFile(home), 'utf8')) as RunState;
    return typeof state.pid === 'number' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole and renamed into place, so a concurrent reader never sees half a file. */
export function writeRunState(home: string, state: RunState): void {
  const tmp = `${pidFile(home)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, pidFile(home));
}

export function removeRunState(home: string): void {
  rmSync(pidFile(home), { force: true });
}

/** Whether the process runs; an exited one its parent has not reaped yet (a zombie) does not. */
export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // `<pid> (<comm>) <state> …`; comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (not Linux): kill(0) is all there is
  }
}
