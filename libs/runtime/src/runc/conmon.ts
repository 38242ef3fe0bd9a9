import { constants as fsConstants, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { oomKillCount } from './cgroups';
import { spawnerDaemon, type SpawnResult } from './spawner';

/**
 * The container monitor is conmon (Debian package `conmon`, the monitor CRI-O and Podman use): a
 * small C process per container that outlives the agent. It runs `runc create`, holds the
 * container's stdio and writes it to the CRI log file, and when the container ends writes its
 * exit code to a file. Files it leaves in the container directory:
 * - `shim.pid`: conmon's own pid (`-P`);
 * - `runc.pid`: the container's init pid (`-p`, written by runc);
 * - `conmon-exit/<id>`: the exit code (`--exit-dir`);
 * - `ctl`: a FIFO conmon reads commands from (`2 0 0` = reopen the log file).
 */
export interface MonitorConfig {
  readonly conmon: string;
  readonly runc: string;
  readonly runcRoot: string;
  readonly id: string;
  /** The container directory: the OCI bundle and all the files above. */
  readonly dir: string;
  readonly pidFile: string;
  readonly logPath: string;
  /** Hard cap conmon enforces by starting the log afresh (rotation proper is `rotateLog`). */
  readonly logHardCapBytes?: number;
}

/** What the runtime records once a container has ended (`exit.json`). */
export interface ExitRecord {
  readonly exitCode: number;
  readonly finishedAt: string;
  readonly oomKilled: boolean;
  /** False when runc never got the process running (bad command, missing binary...). */
  readonly started: boolean;
  readonly message?: string;
}

export const monitorPaths = (dir: string, id: string) => ({
  pid: join(dir, 'shim.pid'),
  err: join(dir, 'shim.err'),
  /** conmon's persist and attach-socket directory. */
  state: join(dir, 'conmon'),
  exitDir: join(dir, 'conmon-exit'),
  exitCode: join(dir, 'conmon-exit', id),
  ctl: join(dir, 'ctl'),
});

/** How long creating a container may take before the start counts as failed. */
const CREATE_TIMEOUT_MS = 30_000;

export type CreateOutcome =
  { readonly ok: true; readonly pid: number } | { readonly ok: false; readonly message: string };

/**
 * Starts conmon for one container and waits until runc has created it (conmon reports the init
 * pid, or runc's error, on the sync pipe). The container is created, not yet started: the caller
 * runs `runc start`.
 */
export async function createWithMonitor(config: MonitorConfig): Promise<CreateOutcome> {
  const paths = monitorPaths(config.dir, config.id);
  const args = [
    '--api-version',
    '1',
    '--cid',
    config.id,
    '--cuuid',
    config.id,
    '--name',
    config.id,
    '--runtime',
    config.runc,
    '--runtime-arg',
    '--root',
    '--runtime-arg',
    config.runcRoot,
    '--bundle',
    config.dir,
    '--container-pidfile',
    config.pidFile,
    '--conmon-pidfile',
    paths.pid,
    '--log-path',
    `k8s-file:${config.logPath}`,
    '--exit-dir',
    paths.exitDir,
    '--persist-dir',
    paths.state,
    '--socket-dir-path',
    paths.state,
    '--log-level',
    'error',
    ...(config.logHardCapBytes ? ['--log-size-max', String(config.logHardCapBytes)] : []),
  ];
  await Promise.all([paths.state, paths.exitDir].map((d) => mkdir(d, { recursive: true })));
  // Started by the command helper (see spawner.ts), not by the agent: a spawn blocks the
  // caller's event loop until the child has exec'd. conmon detaches itself (it forks twice).
  let result: SpawnResult;
  try {
    result = await withTimeout(
      spawnerDaemon(config.conmon, args, {
        cwd: config.dir,
        errPath: paths.err,
        env: {
          PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
          TZ: 'UTC',
          _OCI_SYNCPIPE: '3',
        },
      }),
      CREATE_TIMEOUT_MS,
    );
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const report = parseSync(result.stdout);
  if (!report) {
    const why = result.error ?? 'no report';
    return {
      ok: false,
      message: `conmon failed (${why}): ${await monitorErrors(config.dir)}`.trim(),
    };
  }
  if (report.data > 0) return { ok: true, pid: report.data };
  return { ok: false, message: cleanRuncMessage(report.message ?? 'runc create failed') };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`conmon did not report the container within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function parseSync(text: string): { data: number; message?: string } | undefined {
  try {
    const v = JSON.parse(text) as { data?: unknown; message?: unknown };
    if (typeof v.data !== 'number') return undefined;
    return { data: v.data, message: typeof v.message === 'string' ? v.message : undefined };
  } catch {
    return undefined; // not complete yet
  }
}

/** `time="..." level=error msg="runc create failed: ..."` -> the msg, unquoted. */
function cleanRuncMessage(raw: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(raw);
  return (m ? m[1]!.replace(/\\(.)/g, '$1') : raw).trim();
}

/** The end of what conmon wrote to its stderr (for failure messages). */
export async function monitorErrors(dir: string): Promise<string> {
  return (await readFile(monitorPaths(dir, '').err, 'utf8').catch(() => '')).slice(-500).trim();
}

/** Whether the container's conmon still runs (it has yet to record the exit). */
export function monitorAlive(dir: string): boolean {
  try {
    const pid = Number(readFileSync(monitorPaths(dir, '').pid, 'utf8'));
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return pid > 0 && argv0.endsWith('conmon');
  } catch {
    return false;
  }
}

/**
 * The end conmon recorded, as an ExitRecord: the code from its exit file, the time from the
 * file's mtime, OOM from the container's cgroup (kept until `runc delete`). Undefined while
 * the container runs.
 */
export async function monitorExit(
  dir: string,
  id: string,
  cgroupsPath: string,
): Promise<ExitRecord | undefined> {
  const file = monitorPaths(dir, id).exitCode;
  const text = await readFile(file, 'utf8').catch(() => '');
  if (!/^-?\d+\s*$/.test(text)) return undefined;
  const finishedAt = (await stat(file)).mtime.toISOString();
  return {
    exitCode: Number(text),
    finishedAt,
    oomKilled: (await oomKillCount(cgroupsPath)) > 0,
    started: true,
  };
}

/**
 * Rotates a running container's log once it is over `maxBytes`, as the kubelet's log manager
 * does: the file is renamed to `<log>.1` (the older `.1` is dropped) and conmon is told to
 * reopen its log (`2 0 0` on its control FIFO). False when there was nothing to do.
 */
export async function rotateLog(dir: string, logPath: string, maxBytes: number): Promise<boolean> {
  const size = (await stat(logPath).catch(() => undefined))?.size ?? 0;
  if (size <= maxBytes) return false;
  await rename(logPath, `${logPath}.1`);
  // Non-blocking: with no conmon reading the FIFO the open fails (ENXIO) instead of hanging.
  const ctl = await open(
    monitorPaths(dir, '').ctl,
    fsConstants.O_WRONLY | fsConstants.O_NONBLOCK,
  ).catch(() => undefined);
  if (!ctl) return true;
  try {
    await ctl.write('2 0 0\n');
  } catch {
    // conmon went away meanwhile: the container has ended, nothing more is written
  } finally {
    await ctl.close();
  }
  return true;
}
