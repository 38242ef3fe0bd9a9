import { readFileSync } from 'node:fs';
import { bosunHome, pidFile } from '../paths';
import type { Output } from '../output';

/** Stops the cluster `bosun up` runs from this BOSUN_HOME (its processes stop cleanly). */
export async function down(
  env: NodeJS.ProcessEnv,
  out: Output,
  timeoutMs = 30_000,
): Promise<number> {
  const home = bosunHome(env);
  let pid: number;
  try {
    pid = (JSON.parse(readFileSync(pidFile(home), 'utf8')) as { pid: number }).pid;
    process.kill(pid, 'SIGTERM');
  } catch {
    out.info(`no cluster is running from ${home}`);
    return 0;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      out.info('stopped');
      return 0;
    }
    out.progress('waiting for the cluster to stop');
    await new Promise((r) => setTimeout(r, 200));
  }
  out.error(`bosun up (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
  return 1;
}
