import { existsSync } from 'node:fs';
import { readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reads a container's cgroup (stats, OOM kills) on either cgroup layout: v2 (unified, one tree)
 * or v1 (a tree per controller, as on this kernel's hybrid mount). runc creates and limits the
 * cgroup; we only read it, and remove empty parents we own.
 */
export const CGROUP_ROOT = '/sys/fs/cgroup';

export function isCgroupV2(root = CGROUP_ROOT): boolean {
  return existsSync(join(root, 'cgroup.controllers'));
}

function controllerDir(controller: 'memory' | 'cpuacct' | 'cpu', path: string): string {
  return isCgroupV2() ? join(CGROUP_ROOT, path) : join(CGROUP_ROOT, controller, path);
}

async function readKeyed(file: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

async function readNumber(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '0');
  return Number(text.trim()) || 0;
}

/** How many times the kernel OOM-killed a process in this cgroup (`oom_kill` counter). */
export async function oomKillCount(path: string): Promise<number> {
  const file = isCgroupV2()
    ? join(controllerDir('memory', path), 'memory.events')
    : join(controllerDir('memory', path), 'memory.oom_control');
  return (await readKeyed(file)).get('oom_kill') ?? 0;
}

export interface CgroupStats {
  readonly cpuUsageNanos: number;
  readonly memoryUsageBytes: number;
  readonly memoryWorkingSetBytes: number;
}

export async function cgroupStats(path: string): Promise<CgroupStats> {
  if (isCgroupV2()) {
    const dir = controllerDir('memory', path);
    const cpu = await readKeyed(join(dir, 'cpu.stat'));
    const usage = await readNumber(join(dir, 'memory.current'));
    const stat = await readKeyed(join(dir, 'memory.stat'));
    return {
      cpuUsageNanos: (cpu.get('usage_usec') ?? 0) * 1000,
      memoryUsageBytes: usage,
      memoryWorkingSetBytes: Math.max(0, usage - (stat.get('inactive_file') ?? 0)),
    };
  }
  const usage = await readNumber(join(controllerDir('memory', path), 'memory.usage_in_bytes'));
  const stat = await readKeyed(join(controllerDir('memory', path), 'memory.stat'));
  return {
    cpuUsageNanos: await readNumber(join(controllerDir('cpuacct', path), 'cpuacct.usage')),
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - (stat.get('total_inactive_file') ?? 0)),
  };
}

/** Every directory that holds `path` (one on v2, one per mounted controller on v1). */
export async function cgroupDirs(path: string): Promise<string[]> {
  if (isCgroupV2()) return [join(CGROUP_ROOT, path)];
  const controllers = await readdir(CGROUP_ROOT);
  return controllers.map((c) => join(CGROUP_ROOT, c, path)).filter((d) => existsSync(d));
}

/** Removes an (empty) cgroup subtree bottom-up in every hierarchy; true if none is left. */
export async function removeCgroupTree(path: string): Promise<boolean> {
  let clean = true;
  for (const dir of await cgroupDirs(path)) {
    clean = (await removeDirTree(dir)) && clean;
  }
  return clean;
}

async function removeDirTree(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let clean = true;
  for (const e of entries) {
    if (e.isDirectory()) clean = (await removeDirTree(join(dir, e.name))) && clean;
  }
  try {
    await rmdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') clean = false;
  }
  return clean;
}
