import { accessSync, constants } from 'node:fs';
import { Isolation, type NodeRuntime } from './cluster-plan';
import { IP, NSENTER } from './node-network';

export const RUNC = '/usr/sbin/runc';
export const CONMON = '/usr/bin/conmon';

export interface RuntimeChoice {
  readonly runtime: NodeRuntime;
  readonly isolation: Isolation;
  /** Why, for the summary: `root with runc`, `not root`, `no runc`, `requested`. */
  readonly reason: string;
}

export interface HostFacts {
  readonly uid: number;
  readonly platform: string;
  /** Whether an executable exists at this path. */
  readonly has: (path: string) => boolean;
}

export const thisHost = (): HostFacts => ({
  uid: process.getuid?.() ?? -1,
  platform: process.platform,
  has: (path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
});

/**
 * runc with a network namespace per node where the host allows (Linux, root, runc, iproute2,
 * nsenter); otherwise process nodes on loopback. Asking for runc where it cannot run is an error.
 */
export function chooseNodeRuntime(
  requested: NodeRuntime | undefined,
  host: HostFacts = thisHost(),
): RuntimeChoice {
  if (requested === 'process') {
    return { runtime: 'process', isolation: Isolation.None, reason: 'requested' };
  }
  const missing =
    host.platform !== 'linux'
      ? `not Linux (${host.platform})`
      : host.uid !== 0
        ? 'not root'
        : !host.has(RUNC)
          ? `no runc (${RUNC}; apt-get install runc)`
          : !host.has(CONMON)
            ? `no conmon (${CONMON}; apt-get install conmon)`
            : !host.has(IP)
              ? `no iproute2 (${IP}; apt-get install iproute2)`
              : !host.has(NSENTER)
                ? `no nsenter (${NSENTER}; apt-get install util-linux)`
                : undefined;
  if (!missing) return { runtime: 'runc', isolation: Isolation.Netns, reason: 'root with runc' };
  if (requested === 'runc') throw new Error(`--runtime runc cannot run here: ${missing}`);
  return { runtime: 'process', isolation: Isolation.None, reason: missing };
}

/** The summary's runtime line. */
export function describeRuntime(choice: RuntimeChoice): string {
  return choice.runtime === 'runc'
    ? 'runc (each node in its own network namespace)'
    : `process (no isolation: ${choice.reason === 'requested' ? 'requested with --runtime process' : choice.reason})`;
}
