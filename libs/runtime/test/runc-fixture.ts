import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { createLogger } from '@bosun/common';
import { ImageStore, buildTestImage, loadImageDirectory, testToolPath } from '@bosun/image';
import {
  RuncRuntime,
  removeCgroupTree,
  type ContainerImage,
  type RuncRuntimeOptions,
} from '../src';

/** Why the runc tests cannot run here, or undefined when they can. */
export function runcUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/usr/sbin/runc')) return 'runc missing (apt-get install runc)';
  if (!existsSync('/usr/bin/conmon')) return 'conmon missing (apt-get install conmon)';
  if (!existsSync('/usr/sbin/ip')) return 'ip missing (apt-get install iproute2)';
  if (!testToolPath('busybox')) return 'busybox-static missing';
  return undefined;
}

export interface RuncFixture {
  readonly runtime: RuncRuntime;
  readonly options: RuncRuntimeOptions;
  readonly image: ContainerImage;
  readonly imageRootfs: string;
  /** Tears everything down, even after failures: containers, mounts, netns, bridge, cgroups. */
  cleanup(): Promise<void>;
}

const APPLETS = [
  'readlink',
  'nc',
  'grep',
  'hostname',
  'dd',
  'tail',
  'head',
  'ip',
  'ifconfig',
  'touch',
  'ps',
];

/**
 * A RuncRuntime of its own: a private state dir, bridge `bt<random>`, pod CIDR
 * 10.244.<random>.0/24 and cgroup parent, with a busybox image loaded through @bosun/image.
 */
export async function createRuncFixture(): Promise<RuncFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-runc-'));
  const tag = randomBytes(3).toString('hex');
  const layout = join(dir, 'layout');
  await buildTestImage(layout, {
    layers: [{ symlinks: Object.fromEntries(APPLETS.map((a) => [`bin/${a}`, 'busybox'])) }],
  });
  const store = await ImageStore.open(join(dir, 'images'), createLogger('test', 'silent'));
  const [record] = await loadImageDirectory(store, layout, { name: 'test/busybox' });
  const rootfs = await store.ensureRootfs(record);
  const config = (await store.imageConfig(record)).config ?? {};
  const options: RuncRuntimeOptions = {
    root: join(dir, 'state'),
    logger: createLogger('runc-test', 'silent'),
    podCidr: freePodCidr(),
    bridge: `bt${tag}`,
    cgroupParent: `bosun-test-${tag}`,
  };
  const runtime = await RuncRuntime.open(options);
  const image: ContainerImage = {
    ref: record.reference,
    rootfs,
    entrypoint: config.Entrypoint,
    cmd: config.Cmd,
    env: config.Env,
    workingDir: config.WorkingDir,
  };
  return {
    runtime,
    options,
    image,
    imageRootfs: rootfs,
    cleanup: async () => {
      for (const s of await runtime.listPodSandboxes().catch(() => [])) {
        await runtime.removePodSandbox(s.id).catch(() => undefined);
      }
      for (const c of await runtime.listContainers().catch(() => [])) {
        await runtime.removeContainer(c.id).catch(() => undefined);
      }
      for (const s of await runtime.runc.list()) await runtime.runc.delete(s.id);
      for (const mount of mountsUnder(dir)) quiet('/usr/bin/umount', ['-l', mount]);
      for (const ns of netnsList()) {
        if (existsSync(join(options.root, 'sandboxes', ns)))
          quiet('/usr/sbin/ip', ['netns', 'del', ns]);
      }
      await runtime.network.removeBridge();
      await removeCgroupTree(`/${options.cgroupParent}`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m) => m?.startsWith(dir))
    .reverse();
}

export function netnsList(): string[] {
  try {
    return execFileSync('/usr/sbin/ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function linkExists(name: string): boolean {
  try {
    execFileSync('/usr/sbin/ip', ['link', 'show', 'dev', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function quiet(file: string, args: string[]): void {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
  } catch {
    // best effort
  }
}

/** A 10.244.x.0/24 no interface on this host uses yet (other test runs may hold bridges too). */
function freePodCidr(): string {
  const used = execFileSync('/usr/sbin/ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  for (;;) {
    const x = randomInt(0, 256);
    if (!used.includes(` 10.244.${x}.`)) return `10.244.${x}.0/24`;
  }
}
