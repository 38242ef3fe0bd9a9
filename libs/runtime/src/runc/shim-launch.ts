import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShimConfig } from './shim-main';

/** Starts the shim (see `shimEntry`) as its own session: it must survive the agent. */
export async function launchShim(
  entry: string,
  dir: string,
  config: ShimConfig,
): Promise<number | undefined> {
  const configPath = join(dir, 'shim.json');
  await writeFile(configPath, JSON.stringify(config));
  const errFd = openSync(join(dir, 'shim.err'), 'a');
  try {
    const child = spawn(process.execPath, [entry, configPath], {
      detached: true,
      stdio: ['ignore', 'ignore', errFd],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    child.unref();
    if (child.pid) await writeFile(join(dir, 'shim.pid'), String(child.pid));
    return child.pid;
  } finally {
    closeSync(errFd);
  }
}

/** Whether the shim of the container in `dir` still runs (it has yet to record the exit). */
export function shimAlive(dir: string): boolean {
  try {
    const pid = Number(readFileSync(join(dir, 'shim.pid'), 'utf8'));
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shim-main');
  } catch {
    return false;
  }
}
