import { mkdir } from 'node:fs/promises';
import { run, tryRun } from './command';
import type { ContainerPaths } from './container-record';

/**
 * The container's root: an overlay with the shared, read-only image rootfs as its lower layer and
 * a private upper dir, so containers never write into the image store.
 */
export async function mountOverlayRootfs(
  imageRootfs: string,
  paths: ContainerPaths,
): Promise<void> {
  await Promise.all(
    [paths.rootfs, paths.upper, paths.work].map((d) => mkdir(d, { recursive: true })),
  );
  const options = `lowerdir=${imageRootfs},upperdir=${paths.upper},workdir=${paths.work}`;
  await run('/usr/bin/mount', ['-t', 'overlay', 'overlay', '-o', options, paths.rootfs]);
}

export async function unmountOverlayRootfs(paths: ContainerPaths): Promise<void> {
  // Lazy: a process still holding a file (a racing exec) must not keep the directory busy.
  await tryRun('/usr/bin/umount', ['-l', paths.rootfs]);
}
