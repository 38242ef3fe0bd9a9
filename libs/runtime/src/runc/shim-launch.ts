import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ShimConfig } from './shim-main';

/**
 * Starts the shim as its own session (it must survive the agent). From the compiled library it
 * runs `shim-main.js`; from TypeScript sources (tests) it preloads @swc-node/register.
 */
export async function launchShim(dir: string, config: ShimConfig): Promise<void> {
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
  } finally {
    closeSync(errFd);
  }
}
