/**
 * Runs host tools (ip, mount, runc...) from a long-lived helper process instead of the agent's.
 *
 * Every `child_process` spawn blocks the calling event loop while libuv forks and waits for the
 * exec (6-19 ms each in the agent's CPU profile), which dominated at several pod starts per
 * second. The helper pays that cost on its own loop; the agent only writes and reads one JSON line
 * per command over the helper's stdin/stdout.
 *
 * One helper per process, started at the first call. It never keeps the agent alive (unref'd,
 * except while calls are in flight), ignores terminal signals (an agent shutting down on SIGINT
 * still runs its teardown commands) and exits once its stdin closes, i.e. when the agent is gone.
 * If it dies, the calls in flight fail and the next call starts a new one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { internal } from '../runtime-errors';

/** How one command ended, as `execFile` reported it in the helper. */
export interface SpawnResult {
  /** Exit code; null when the program did not start or was killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
  /** `execFile`'s error message, present exactly when `execFile` failed (non-zero exit too). */
  readonly error?: string;
}

/**
 * The helper, plain JavaScript run with `node -e` so it needs no build step from sources or dist.
 * Request lines: {id, file, args, input?}; answer lines: {id, code, signal?, stdout, stderr, error?}.
 * Its stdout is only ever written whole lines, so a reply never interleaves with another.
 */
export const HELPER_SOURCE = `'use strict';
const { execFile, spawn } = require('node:child_process');
const { openSync, closeSync } = require('node:fs');
const { createInterface } = require('node:readline');
process.title = 'bosun-command-helper';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
process.stdout.on('error', () => process.exit(0));
const reply = (msg) => process.stdout.write(JSON.stringify(msg) + '\\n');
const fail = (err) => ({
  code: typeof err.code === 'number' ? err.code : null,
  signal: err.signal || undefined,
  error: String(err.message || err),
});
// A daemon (conmon): started detached, its first JSON message on fd 3 is the answer.
function startDaemon(id, file, args, { cwd, env, errPath }) {
  let text = '';
  let done = false;
  const finish = (msg) => {
    if (done) return;
    done = true;
    reply({ id, stderr: '', ...msg });
  };
  try {
    const errFd = openSync(errPath, 'a');
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'ignore', errFd, 'pipe'] });
    closeSync(errFd);
    child.unref();
    child.on('error', (err) => finish({ stdout: text, ...fail(err) }));
    const pipe = child.stdio[3];
    pipe.on('error', () => {});
    pipe.on('data', (chunk) => {
      text += chunk;
      try {
        JSON.parse(text);
      } catch {
        return;
      }
      pipe.destroy();
      finish({ code: 0, stdout: text });
    });
    pipe.on('close', () => finish({ code: null, stdout: text, error: 'closed its report pipe without a report' }));
  } catch (err) {
    finish({ stdout: '', ...fail(err) });
  }
}
createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  const { id, file, args, input, daemon } = req;
  if (daemon) return startDaemon(id, file, args, daemon);
  try {
    const child = execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      reply(err ? { id, stdout, stderr, ...fail(err) } : { id, code: 0, stdout, stderr }),
    );
    if (child.stdin) {
      child.stdin.on('error', () => {});
      if (input !== undefined) child.stdin.end(input);
    }
  } catch (err) {
    reply({ id, stdout: '', stderr: '', ...fail(err) });
  }
});
`;

interface Pending {
  readonly resolve: (result: SpawnResult) => void;
  readonly reject: (err: Error) => void;
}

class Helper {
  readonly pid: number | undefined;
  /** Settles once the helper is gone (exited, or never started). */
  readonly gone: Promise<void>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private partialLine: string[] = [];
  private dead = false;
  private markGone!: () => void;

  constructor(private readonly onGone: (helper: Helper) => void) {
    this.gone = new Promise((resolve) => (this.markGone = resolve));
    this.child = spawn(process.execPath, ['-e', HELPER_SOURCE], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.pid = this.child.pid;
    this.child.on('error', (err) => this.fail(`could not run: ${err.message}`));
    this.child.on('close', (code, signal) =>
      this.fail(signal ? `was killed by ${signal}` : `exited with code ${code}`),
    );
    // A broken pipe means the helper is going; 'close' reports it.
    this.child.stdin?.on('error', () => undefined);
    this.child.stdout?.on('error', () => undefined);
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    this.child.unref();
    asSocket(this.child.stdin)?.unref();
    asSocket(this.child.stdout)?.unref();
  }

  exec(
    file: string,
    args: readonly string[],
    input?: string,
    daemon?: DaemonOptions,
  ): Promise<SpawnResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.holdLoop();
      this.child.stdin?.write(`${JSON.stringify({ id, file, args, input, daemon })}\n`);
    });
  }

  /** Closes the helper's stdin: it answers what is in flight, then exits. */
  close(): Promise<void> {
    this.child.stdin?.end();
    return this.gone;
  }

  private onData(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.partialLine.push(chunk.slice(start, nl));
      const line = this.partialLine.join('');
      this.partialLine = [];
      this.onLine(line);
      start = nl + 1;
    }
    if (start < chunk.length) this.partialLine.push(chunk.slice(start));
  }

  private onLine(line: string): void {
    let reply: SpawnResult & { id: number };
    try {
      reply = JSON.parse(line) as SpawnResult & { id: number };
    } catch {
      return;
    }
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    this.holdLoop();
    const { id: _id, ...result } = reply;
    call.resolve(result);
  }

  /**
   * Keeps the agent's event loop alive exactly while calls are in flight, as a direct `execFile`
   * would: an idle helper must not stop the agent from exiting.
   */
  private holdLoop(): void {
    const stdout = asSocket(this.child.stdout);
    if (this.pending.size > 0) stdout?.ref();
    else stdout?.unref();
  }

  private fail(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.onGone(this);
    const err = internal(`command helper (pid ${this.pid ?? 'none'}) ${reason}`, undefined, {
      pid: this.pid,
    });
    for (const call of this.pending.values()) call.reject(err);
    this.pending.clear();
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.markGone();
  }
}

/** The pipes of a child started with stdio 'pipe' are sockets; the types only say streams. */
function asSocket(stream: unknown): Socket | undefined {
  return stream && typeof (stream as Socket).unref === 'function' ? (stream as Socket) : undefined;
}

let current: Helper | undefined;

function helper(): Helper {
  current ??= new Helper((gone) => {
    if (current === gone) current = undefined;
  });
  return current;
}

/** The running helper, started when there is none; a failed start is a typed error. */
function startedHelper(): Helper {
  try {
    return helper();
  } catch (e) {
    throw internal(`command helper could not start: ${(e as Error).message}`, e);
  }
}

/**
 * Runs `file args` in the helper, with `input` on its stdin when given. Resolves however the
 * command ended (see `SpawnResult.error`); rejects only when the helper could not run it.
 */
export async function spawnerExec(
  file: string,
  args: readonly string[],
  input?: string,
): Promise<SpawnResult> {
  return startedHelper().exec(file, args, input);
}

/** How the helper starts a daemon (see `spawnerDaemon`). */
export interface DaemonOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The daemon's stderr is appended to this file. */
  readonly errPath: string;
}

/**
 * Starts `file args` in the helper as a detached daemon (its own session, stdout ignored,
 * stderr to `errPath`) with a pipe as fd 3, and resolves with the first complete JSON message it
 * writes there (`stdout` of the result), or with an `error` when it closes the pipe without one
 * or cannot start. conmon reports the container's pid (or runc's error) this way.
 */
export async function spawnerDaemon(
  file: string,
  args: readonly string[],
  options: DaemonOptions,
): Promise<SpawnResult> {
  return startedHelper().exec(file, args, undefined, options);
}

/** The helper's pid, when one is running. */
export function spawnerPid(): number | undefined {
  return current?.pid;
}

/** Stops the helper after it has answered the calls in flight (tests; the agent needs not). */
export async function closeSpawner(): Promise<void> {
  const h = current;
  current = undefined;
  await h?.close();
}
