import { join, resolve } from 'node:path';

/** The repository root (this file sits at apps/cli/{src,dist}/). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where a local cluster keeps its state: `$BOSUN_HOME`, else `.bosun/` in the repository. */
export function bosunHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BOSUN_HOME || join(REPO_ROOT, '.bosun'));
}

export const runDir = (home: string): string => join(home, 'run');
export const logDir = (home: string): string => join(home, 'logs');
export const pidFile = (home: string): string => join(runDir(home), 'bosun-up.json');
