import { parseArgs } from 'node:util';
import { bosunHome } from '../paths';
import { recoverCrashed } from '../cluster-stop';
import { isAlive, readRunState } from '../run-state';
import type { Output } from '../output';

export const DOWN_USAGE = `Usage: bosun down

Stops the cluster \`bosun up\` runs from this BOSUN_HOME: node agents first (their pods stop and,
with runc, their containers, pod namespaces and cgroups are removed), then the control plane, then
the node network. State (CA, tokens, cluster data, node names and addresses) stays.
`;

/** Stops the cluster `bosun up` runs from this BOSUN_HOME (its processes stop cleanly). */
export async function down(
  env: NodeJS.ProcessEnv,
  out: Output,
  timeoutMs = 120_000,
  args: readonly string[] = [],
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out.info(DOWN_USAGE);
      return 0;
    }
    if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  } catch (e) {
    out.error(`${e instanceof Error ? e.message : String(e)}\n\n${DOWN_USAGE}`);
    return 2;
  }
  const home = bosunHome(env);
  const state = readRunState(home);
  if (!state) {
    out.info(`no cluster is running from ${home}`);
    return 0;
  }
  const pid = state.pid;
  if (!isAlive(pid)) {
    out.info(`bosun up (pid ${pid}) is gone without stopping its cluster: cleaning up`);
    const problems = await recoverCrashed(state);
    for (const p of problems) out.error(p);
    out.info('stopped');
    return problems.length ? 1 : 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      out.info('stopped');
      return 0;
    }
    out.progress('waiting for the cluster to stop');
    await new Promise((r) => setTimeout(r, 200));
  }
  out.error(`bosun up (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
  return 1;
}
