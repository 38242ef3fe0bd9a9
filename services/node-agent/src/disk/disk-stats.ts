import { lstat, readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/** One file system's space and inodes, as statfs reports them to an unprivileged writer. */
export interface FsStats {
  readonly capacityBytes: number;
  readonly availableBytes: number;
  readonly inodes: number;
  readonly inodesFree: number;
}

export async function fsStats(path: string): Promise<FsStats> {
  const s = await statfs(path);
  return {
    capacityBytes: s.blocks * s.bsize,
    availableBytes: s.bavail * s.bsize,
    inodes: s.files,
    inodesFree: s.ffree,
  };
}

/** Bytes the files under `path` occupy (allocated blocks, as du counts); 0 when it is absent. */
export async function pathUsageBytes(path: string): Promise<number> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return 0;
  }
  let total = info.blocks * 512;
  if (info.isDirectory()) {
    const names = await readdir(path).catch(() => [] as string[]);
    for (const n of names) total += await pathUsageBytes(join(path, n));
  }
  return total;
}
