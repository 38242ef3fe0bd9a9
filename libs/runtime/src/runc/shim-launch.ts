import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ShimConfig } from './shim-main';

/**
 * Starts the shim as its own session (it must survive the agent). From the compiled library it
 * runs `shim-main.js`; from TypeScript sources (tests) it preloads @swc-node/register.
 */
export async function launchShim(dir: string, config: ShimConfig): Promise<number | undefined> {
  const configPath = join(dir, 'shim.json');
  await writeFile(configPath, JSON.stringify(config));
  const ext = extname(__filename);
  const main = join(__dirname, `shim-main${ext}`);
  const preload = ext === '.ts' ? ['-r', require.resolve('@swc-node/register')] : [];
  const errFd = openSync(join(dir, 'shim.err'), 'a');
  try {
    const child = spawn(process.execPath, [...preload, main, configPath], {
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
