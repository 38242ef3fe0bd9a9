import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { missingTestTools } from '@bosun/image';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const BOSUN_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'bosun.js');
export const KUBECTL = '/usr/bin/kubectl';
export const RUNC = '/usr/sbin/runc';
export const IP = '/usr/sbin/ip';

/** The builds `bosun up` runs (nx test @bosun/e2e builds them first). */
const BUILDS = [
  'apps/cli/dist/main.js',
  'services/api-server/dist/main.js',
  'services/scheduler/dist/main.js',
  'services/controller-manager/dist/main.js',
  'services/node-agent/dist/main.js',
];

/**
 * Why the end-to-end suite cannot run on this machine, or undefined when it can: it needs root
 * and runc (nodes are network namespaces running real containers), kubectl, the image tools, and
 * a build of the CLI and the services.
 */
export function e2eUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (nodes are network namespaces with runc pods)';
  if (!existsSync(RUNC)) return `runc missing at ${RUNC} (apt-get install runc)`;
  if (!existsSync('/usr/bin/conmon')) return 'conmon missing (apt-get install conmon)';
  if (!existsSync(IP)) return `ip missing at ${IP} (apt-get install iproute2)`;
  if (!existsSync(KUBECTL)) return `kubectl missing at ${KUBECTL}`;
  const tools = missingTestTools('busybox', 'skopeo', 'registry');
  if (tools.length) return `missing ${tools.join(', ')} (busybox-static, skopeo, docker-registry)`;
  const unbuilt = BUILDS.filter((p) => !existsSync(join(REPO_ROOT, p)));
  if (unbuilt.length) return `not built: ${unbuilt.join(', ')} (npm run build)`;
  return undefined;
}
