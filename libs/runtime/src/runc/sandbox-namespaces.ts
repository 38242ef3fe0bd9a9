import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, tryRun } from './command';

export interface SandboxNamespaces {
  readonly ipcPath: string;
  readonly utsPath: string;
}

export function sandboxNamespacePaths(dir: string): SandboxNamespaces {
  return { ipcPath: join(dir, 'ns-ipc'), utsPath: join(dir, 'ns-uts') };
}

/**
 * The IPC and UTS namespaces a pod's containers share (Kubernetes keeps them in its pause
 * container). Bind-mounted on files in the sandbox dir they need no process to stay alive, and
 * containers join them by path. The hostname is set once, here: a container that joins a UTS
 * namespace may not set it.
 */
export async function createSandboxNamespaces(
  dir: string,
  hostname: string,
): Promise<SandboxNamespaces> {
  const ns = sandboxNamespacePaths(dir);
  await writeFile(ns.ipcPath, '');
  await writeFile(ns.utsPath, '');
  try {
    await run('/usr/bin/unshare', [
      `--ipc=${ns.ipcPath}`,
      `--uts=${ns.utsPath}`,
      '/bin/hostname',
      hostname,
    ]);
  } catch (e) {
    await removeSandboxNamespaces(ns);
    throw e;
  }
  return ns;
}

/** Unmounting the files frees the namespaces once no container holds them. Idempotent. */
export async function removeSandboxNamespaces(ns: SandboxNamespaces): Promise<void> {
  await tryRun('/usr/bin/umount', [ns.ipcPath]);
  await tryRun('/usr/bin/umount', [ns.utsPath]);
}
