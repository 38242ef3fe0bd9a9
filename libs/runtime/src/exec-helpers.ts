import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { finished } from 'node:stream/promises';
import { BosunError, ErrorCode } from '@bosun/common';
import type { ContainerRuntime, ExecResult, ExecSession } from './types';

/** Runs a command in a container to completion and collects its output (probes, tests). */
export async function execCollect(
  runtime: ContainerRuntime,
  id: string,
  command: readonly string[],
  options: { stdin?: string; tty?: boolean; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const session = await runtime.exec(id, {
    command,
    tty: options.tty,
    stdin: options.stdin !== undefined,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  session.stdout.on('data', (c: Buffer) => stdout.push(c));
  session.stderr.on('data', (c: Buffer) => stderr.push(c));
  if (options.stdin !== undefined) session.stdin.end(options.stdin);
  // The exit may be known before the last output has been read (the fake resolves at once).
  const done = Promise.all([
    session.exitCode,
    finished(session.stdout).catch(() => undefined),
    finished(session.stderr).catch(() => undefined),
  ]);
  const [exitCode] = await withTimeout(done, options.timeoutMs, () => {
    // A probe that overruns is killed, not left running in the container.
    session.kill('SIGKILL');
    return new BosunError(
      ErrorCode.Timeout,
      `exec in ${id} timed out after ${options.timeoutMs} ms`,
      {
        context: { id, command },
      },
    );
  });
  return {
    exitCode,
    stdout: Buffer.concat(stdout).toString(),
    stderr: Buffer.concat(stderr).toString(),
  };
}

async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number | undefined,
  onTimeout: () => Error,
): Promise<T> {
  if (timeoutMs === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const SCRIPT = '/usr/bin/script';

/**
 * A TTY without a console socket: util-linux `script` gives the command a pseudo-terminal on the
 * host (runc exec passes it through), and `-e` returns the command's exit code.
 */
export function inPseudoTerminal(argv: readonly string[]): string[] {
  if (!existsSync(SCRIPT)) throw new Error('TTY exec needs util-linux `script` on the host');
  return [SCRIPT, '-q', '-e', '-f', '-c', argv.map(shellQuote).join(' '), '/dev/null'];
}

/** Wraps a spawned child as an ExecSession. */
export function sessionOf(child: ChildProcess, keepStdin: boolean): ExecSession {
  if (!keepStdin) child.stdin?.end();
  const exitCode = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      child.stdin?.destroy();
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exitCode,
    kill: (signal = 'SIGKILL') => child.kill(signal),
  };
}

export function spawnSession(
  argv: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; keepStdin: boolean },
): ExecSession {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return sessionOf(child, options.keepStdin);
}

export function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (constants.signals[signal] ?? 1) : 0;
}
