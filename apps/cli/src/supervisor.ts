import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSpec } from './services';

export interface Supervised {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<string>;
}

/** Starts one service as its own process, its JSON log lines appended to `<logs>/<name>.log`. */
export function startService(spec: ServiceSpec, logs: string): Supervised {
  if (!existsSync(spec.entry)) {
    throw new Error(`${spec.name} is not built (${spec.entry} is missing): run npm run build`);
  }
  mkdirSync(logs, { recursive: true });
  const logFile = join(logs, `${spec.name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const [cmd, ...args] = [...(spec.launcher ?? []), process.execPath, spec.entry];
  const child = spawn(cmd, args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches only `bosun up`, which stops everything in order.
    detached: true,
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      out.end();
      resolve(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  });
  return { spec, child, logFile, exited };
}

/** Whether a service-host `/readyz` on this host answers 200. */
export async function healthReady(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

/**
 * Waits until `ready()` holds (by default the service's `/readyz` answers 200), the process exits,
 * `cancelled()` holds, or the deadline passes.
 */
export async function waitReady(
  s: Supervised,
  timeoutMs: number,
  onWait: (elapsedMs: number) => void,
  ready: () => Promise<boolean> = () => healthReady(s.spec.healthPort),
  cancelled: () => string | undefined = () => undefined,
): Promise<void> {
  const started = Date.now();
  let ended: string | undefined;
  void s.exited.then((why) => (ended = why));
  for (;;) {
    if (ended)
      throw new Error(`${s.spec.name} stopped during start-up (${ended}); see ${s.logFile}`);
    const why = cancelled();
    if (why) throw new Error(`start-up interrupted (${why})`);
    if (await ready()) return;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs) {
      throw new Error(
        `${s.spec.name} was not ready within ${timeoutMs / 1000} s; see ${s.logFile}`,
      );
    }
    onWait(elapsed);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM one process, SIGKILL it if it is still there after the grace period. */
export async function stopOne(s: Supervised, graceMs = 15_000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(timer);
}

/** Stops every process, newest first. */
export async function stopAll(services: readonly Supervised[], graceMs = 15_000): Promise<void> {
  for (const s of [...services].reverse()) await stopOne(s, graceMs);
}

/** Back-off between restarts of a crashed service: 1 s doubling to 30 s, reset after 60 s up. */
export const RESTART_BACKOFF = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

export interface RestartHooks {
  /** False once the cluster is stopping: then an exit is final. */
  readonly active: () => boolean;
  /** The process ended while active; it starts again in `delayMs`. */
  readonly onExit: (s: Supervised, why: string, delayMs: number) => void;
  /** The new process (its pid goes into the run file). */
  readonly onRestart: (next: Supervised) => void;
}

/**
 * Keeps a service running, as a process supervisor does (systemd's Restart=always, the kubelet's
 * crash-loop back-off): when its process exits while `active()`, it is started again after a
 * back-off that doubles while it keeps crashing and resets once it has run for a while. A killed
 * api-server, scheduler or controller-manager comes back; the cluster converges on its own.
 */
export async function restartOnExit(
  first: Supervised,
  logs: string,
  hooks: RestartHooks,
  backoff = RESTART_BACKOFF,
): Promise<void> {
  let current = first;
  let startedAt = Date.now();
  let delay = backoff.initialMs;
  for (;;) {
    const why = await current.exited;
    if (!hooks.active()) return;
    if (Date.now() - startedAt >= backoff.resetAfterMs) delay = backoff.initialMs;
    hooks.onExit(current, why, delay);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, backoff.maxMs);
    if (!hooks.active()) return;
    current = startService(current.spec, logs);
    startedAt = Date.now();
    hooks.onRestart(current);
  }
}
