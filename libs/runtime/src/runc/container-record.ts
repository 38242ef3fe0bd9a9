import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerState, ExitReason, type ContainerStatus } from '../types';
import type { RuncState } from './runc-cli';
import { monitorAlive, monitorErrors, monitorExit, monitorPaths, type ExitRecord } from './conmon';

/** What the runtime persists per container (`meta.json`), so a new agent can adopt it. */
export interface ContainerMeta {
  readonly id: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly imageRef: string;
  readonly createdAt: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cgroupsPath: string;
  readonly logMaxBytes?: number;
  readonly startRequestedAt?: string;
}

/** The files of one container directory. */
export function containerPaths(dir: string) {
  return {
    dir,
    meta: join(dir, 'meta.json'),
    bundle: dir,
    rootfs: join(dir, 'rootfs'),
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    log: join(dir, 'container.log'),
    pid: join(dir, 'runc.pid'),
    exit: join(dir, 'exit.json'),
  };
}
export type ContainerPaths = ReturnType<typeof containerPaths>;

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(value));
  await rename(`${path}.tmp`, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function exitReason(exit: ExitRecord): ExitReason {
  if (!exit.started) return ExitReason.ContainerCannotRun;
  if (exit.oomKilled) return ExitReason.OOMKilled;
  return exit.exitCode === 0 ? ExitReason.Completed : ExitReason.Error;
}

/**
 * Status from the files the shim leaves: `exit.json` once the container ended, runc's pid file
 * once it runs, and the shim's own liveness. Only when no shim watches a started container (it
 * was killed, or the host crashed) is runc asked: a `runc state` costs a Go process start, and
 * relists read every container every second.
 */
export async function containerStatusOf(
  meta: ContainerMeta,
  paths: ContainerPaths,
  runcState: (id: string) => Promise<RuncState | undefined>,
): Promise<ContainerStatus> {
  const base = {
    id: meta.id,
    sandboxId: meta.sandboxId,
    name: meta.name,
    imageRef: meta.imageRef,
    createdAt: meta.createdAt,
    logPath: paths.log,
    labels: meta.labels,
  };
  if (!meta.startRequestedAt) return { ...base, state: ContainerState.Created };
  const pidStat = await stat(paths.pid).catch(() => undefined);
  const startedAt = pidStat?.mtime.toISOString();
  let exit = await recordedExit(meta, paths);
  if (!exit && monitorAlive(paths.dir)) {
    // The shim records the end before it exits: until then the container runs (pid file
    // written) or is being started (not yet).
    const pid = pidStat ? Number(await readFile(paths.pid, 'utf8').catch(() => '')) : NaN;
    if (pid > 0) return { ...base, state: ContainerState.Running, pid, startedAt };
    return { ...base, state: ContainerState.Created };
  }
  // The shim is gone: it recorded the end (read again, it may have written it just now), or it
  // died without doing so and runc is the only witness left.
  exit ??= await recordedExit(meta, paths);
  const state = exit ? undefined : await runcState(meta.id);
  if (exit) {
    return {
      ...base,
      state: ContainerState.Exited,
      exitCode: exit.exitCode,
      reason: exitReason(exit),
      message: exit.message,
      startedAt,
      finishedAt: exit.finishedAt,
    };
  }
  if (state && state.status !== 'stopped') {
    return { ...base, state: ContainerState.Running, pid: state.pid, startedAt };
  }
  if (state?.status === 'stopped') {
    // The shim is gone without recording the end (killed, host crash): the exit code is lost.
    return {
      ...base,
      state: ContainerState.Exited,
      exitCode: 255,
      reason: ExitReason.Error,
      message: 'container exited while no shim was watching it',
      startedAt,
    };
  }
  if (startInterrupted(meta, paths)) {
    return {
      ...base,
      state: ContainerState.Exited,
      exitCode: 128,
      reason: ExitReason.ContainerCannotRun,
      message:
        `the start was interrupted (shim gone before runc ran): ${await monitorErrors(paths.dir)}`.trim(),
    };
  }
  // Start requested; the shim has not been launched yet.
  return { ...base, state: ContainerState.Created };
}

/**
 * The container's end: `exit.json` once the runtime wrote it, else conmon's exit file, which is
 * turned into `exit.json` the first time it is seen (with OOM read from the cgroup while it
 * still exists), so later reads need neither.
 */
async function recordedExit(
  meta: ContainerMeta,
  paths: ContainerPaths,
): Promise<ExitRecord | undefined> {
  const recorded = await readJson<ExitRecord>(paths.exit);
  if (recorded) return recorded;
  const fromMonitor = await monitorExit(paths.dir, meta.id, meta.cgroupsPath);
  if (fromMonitor) await writeJson(paths.exit, fromMonitor);
  return fromMonitor;
}

/** How long a start may go without a shim record before it counts as lost (agent crash). */
const SHIM_LAUNCH_GRACE_MS = 60_000;

function startInterrupted(meta: ContainerMeta, paths: ContainerPaths): boolean {
  if (monitorAlive(paths.dir)) return false;
  // launched, and died without a record
  if (existsSync(monitorPaths(paths.dir, meta.id).pid)) return true;
  return Date.now() - Date.parse(meta.startRequestedAt ?? '') > SHIM_LAUNCH_GRACE_MS;
}
