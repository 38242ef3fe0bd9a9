/**
 * Starts bench/api-server-process.ts in a child process, for every benchmark that wants the
 * api-server out of its own event loop (as in production), and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** What a client needs of the server under test. */
export interface Endpoint {
  readonly url: string;
  readonly token: string;
  readonly caCertPem: string;
}

/**
 * Spawns the api-server process with `env` added to ours and waits for its endpoint line.
 * `nodeArgs` go before the script (e.g. `--cpu-prof` to profile the server alone).
 */
export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<{ api: Endpoint; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [...nodeArgs, '-r', '@swc-node/register', join(__dirname, 'api-server-process.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`api-server process exited (${code})`)));
  });
  return { api: JSON.parse(line) as Endpoint, proc };
}

/** SIGTERMs the process and resolves once it has exited (a CPU profile is written by then). */
export function stopServerProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}
