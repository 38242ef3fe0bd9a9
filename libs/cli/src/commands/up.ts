import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites, DEFAULT_NATS_URL } from '../prerequisites';
import { bosunHome, logDir, pidFile, runDir } from '../paths';
import { clusterPorts, clusterServices, NOT_YET_STARTED, type ClusterPorts } from '../services';
import { startService, stopAll, waitReady, type Supervised } from '../supervisor';
import type { Output } from '../output';

/** `npm start` uses the `postgres` database; the tests use `test`. */
export const DEFAULT_CLUSTER_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface UpOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  readonly out: Output;
}

/**
 * Brings the local cluster up in the foreground and keeps it up until SIGINT/SIGTERM (Ctrl-C) or
 * `bosun down`; state stays under BOSUN_HOME, so the next `bosun up` finds the same cluster.
 */
export async function up(opts: UpOptions): Promise<number> {
  const { env, out } = opts;
  const home = bosunHome(env);
  const problems = await checkPrerequisites({
    ...env,
    DATABASE_URL: env.DATABASE_URL || DEFAULT_CLUSTER_DATABASE_URL,
  });
  if (problems.length) {
    for (const p of problems) out.error(`${p.what} is not reachable: ${p.detail}\n  fix: ${p.fix}`);
    return 1;
  }
  if (alreadyRunning(home)) {
    out.error(`a cluster is already running from ${home} (bosun down stops it)`);
    return 1;
  }
  mkdirSync(runDir(home), { recursive: true });
  const ports = clusterPorts(env);
  const specs = clusterServices(
    home,
    ports,
    env.DATABASE_URL || DEFAULT_CLUSTER_DATABASE_URL,
    env.NATS_URL || DEFAULT_NATS_URL,
    env.DATABASE_SCHEMA || 'bosun',
  );
  const running: Supervised[] = [];
  const shutdown = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    for (const spec of specs) {
      out.progress(`starting ${spec.name}`);
      const s = startService(spec, logDir(home));
      running.push(s);
      await waitReady(s, opts.readyTimeoutMs ?? 60_000, (ms) =>
        out.progress(`waiting for ${spec.name} to be ready (${(ms / 1000).toFixed(0)} s)`),
      );
      out.info(`✓ ${spec.name} ready (pid ${s.child.pid}, logs ${s.logFile})`);
    }
  } catch (e) {
    out.error(e instanceof Error ? e.message : String(e));
    await stopAll(running);
    return 1;
  }
  writeFileSync(
    pidFile(home),
    JSON.stringify({ pid: process.pid, services: running.map((s) => s.child.pid) }),
  );
  printSummary(out, home, ports);
  const firstExit = Promise.race(
    running.map((s) => s.exited.then((why) => `${s.spec.name} ${why}`)),
  );
  const why = await Promise.race([shutdown, firstExit]);
  out.info(`stopping (${why})`);
  await stopAll(running);
  rmSync(pidFile(home), { force: true });
  out.info('stopped; state kept in ' + home);
  return why === 'SIGINT' || why === 'SIGTERM' ? 0 : 1;
}

function printSummary(out: Output, home: string, ports: ClusterPorts): void {
  const kubeconfig = join(home, 'kubeconfig');
  out.info('');
  out.info('Bosun is up.');
  out.info(`  API         https://127.0.0.1:${ports.api}`);
  out.info(`  kubeconfig  ${kubeconfig}`);
  out.info(
    `  nodes       none yet: the node agent is not functional (see services/node-agent/README.md)`,
  );
  out.info(`  not started ${NOT_YET_STARTED.join(', ')} (skeletons so far)`);
  out.info('');
  out.info(`  export KUBECONFIG=${kubeconfig}`);
  out.info('');
  out.info('Ctrl-C or `npx bosun down` stops it; the next `npm start` finds the same cluster.');
}

function alreadyRunning(home: string): boolean {
  try {
    const { pid } = JSON.parse(readFileSync(pidFile(home), 'utf8')) as { pid: number };
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
