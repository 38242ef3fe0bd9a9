import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@bosun/common';
import {
  ImageStore,
  RegistryClient,
  buildTestImage,
  loadImageDirectory,
  testToolPath,
} from '@bosun/image';
import { RuncRuntime, removeCgroupTree } from '@bosun/runtime';
import { StoreImageProvider } from '../src/images/image-provider';

/** Why real-container tests cannot run here, or undefined when they can. */
export function runcUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/usr/sbin/runc')) return 'runc missing (apt-get install runc)';
  if (!existsSync('/usr/bin/conmon')) return 'conmon missing (apt-get install conmon)';
  if (!existsSync('/usr/sbin/ip')) return 'ip missing (apt-get install iproute2)';
  if (!testToolPath('busybox')) return 'busybox-static missing (apt-get install busybox-static)';
  return undefined;
}

export const TEST_IMAGE = 'test.local/busybox:1';

export interface AgentRuncFixture {
  readonly dir: string;
  /** The current runtime (replaced by `reopen`). */
  readonly runtime: RuncRuntime;
  /** Closes the runtime and opens a new one on the same state, as a restarted agent does. */
  reopen(): Promise<RuncRuntime>;
  readonly images: StoreImageProvider;
  cleanup(): Promise<void>;
}

/** A pod CIDR 10.<200-249>.<n>.0/24 no route on this host uses yet. */
function freePodCidr(): string {
  const routes = execFileSync('/usr/sbin/ip', ['-4', 'route'], { encoding: 'utf8' });
  for (;;) {
    const cidr = `10.${randomInt(200, 250)}.${randomInt(0, 256)}.0/24`;
    if (!routes.includes(cidr.split('/')[0]!.split('.').slice(0, 3).join('.'))) return cidr;
  }
}

/** An image store under `dir` holding the busybox test image, as the agent's image provider. */
export async function testImageProvider(dir: string): Promise<StoreImageProvider> {
  const layout = join(dir, 'layout');
  await buildTestImage(layout, {
    tag: '1',
    layers: [
      { symlinks: { 'bin/grep': 'busybox', 'bin/test': 'busybox', 'bin/touch': 'busybox' } },
    ],
  });
  const logger = createLogger('agent-image-test', 'silent');
  const store = await ImageStore.open(join(dir, 'images'), logger);
  await loadImageDirectory(store, layout, { name: 'test.local/busybox' });
  return new StoreImageProvider(store, new RegistryClient(), logger);
}

/**
 * A private RuncRuntime (state dir, bridge `bn<random>`, pod CIDR, cgroup parent) and an image
 * store holding a busybox test image loaded from an OCI layout (no registry needed).
 */
export async function createAgentRuncFixture(): Promise<AgentRuncFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-agent-runc-'));
  const tag = randomBytes(3).toString('hex');
  const images = await testImageProvider(dir);
  const logger = createLogger('agent-runc-test', 'silent');
  const options = {
    root: join(dir, 'state'),
    logger,
    podCidr: freePodCidr(),
    bridge: `bn${tag}`,
    cgroupParent: `bosun-agent-test-${tag}`,
  };
  let runtime = await RuncRuntime.open(options);
  return {
    dir,
    get runtime() {
      return runtime;
    },
    images,
    reopen: async () => {
      await runtime.close();
      runtime = await RuncRuntime.open(options);
      return runtime;
    },
    cleanup: async () => {
      for (const s of await runtime.listPodSandboxes().catch(() => [])) {
        await runtime.stopPodSandbox(s.id, 0).catch(() => undefined);
        await runtime.removePodSandbox(s.id).catch(() => undefined);
      }
      for (const s of await runtime.runc.list().catch(() => [])) {
        await runtime.runc.delete(s.id).catch(() => undefined);
      }
      for (const mount of mountsUnder(dir)) quiet('/usr/bin/umount', ['-l', mount]);
      await runtime.network.removeBridge().catch(() => undefined);
      await removeCgroupTree(`/${options.cgroupParent}`).catch(() => undefined);
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m): m is string => m !== undefined && m.startsWith(dir))
    .reverse();
}

function quiet(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // best effort: cleanup continues
  }
}
