import { join } from 'node:path';
import { createLogger } from '@bosun/common';
import { RuncRuntime } from '@bosun/runtime';

/**
 * Stops and removes every pod sandbox of a runc node (containers with their grace period, pod
 * network namespaces, cgroups, runc state) and the node's pod bridge. `bosun down` runs it inside
 * the node's network namespace after the agent has stopped — an agent leaves its containers
 * running when it stops (a restarted agent adopts them), but a cluster that is down runs nothing;
 * the next agent recreates the pods bound to its node.
 */
export async function cleanUpRuncNode(
  root: string,
  podCidr: string,
  graceMs: number,
): Promise<number> {
  const logger = createLogger('bosun-down');
  const runtime = await RuncRuntime.open({ root: join(root, 'runtime'), logger, podCidr });
  try {
    const sandboxes = await runtime.listPodSandboxes();
    await Promise.all(
      sandboxes.map(async (s) => {
        await runtime.stopPodSandbox(s.id, graceMs);
        await runtime.removePodSandbox(s.id);
      }),
    );
    return sandboxes.length;
  } finally {
    await runtime.close();
  }
}
