import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Mount } from '@bosun/runtime';
import type { ClusterPort } from '../ports/cluster-port';
import { ContainerConfigError } from './container-env';
import type { Container, KeyToPath, Pod, Volume } from './pod-types';

const run = promisify(execFile);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Whether `path` is `base` or below it (`..data` is a name below it, `..` and `../x` are not). */
const inside = (base: string, path: string): boolean => {
  const rel = relative(base, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/**
 * The host path of a mount's subPath, which must stay inside its volume — also through symlinks a
 * container may have made in a shared volume (resolved as the path exists now).
 */
export function subPathOnHost(volume: string, subPath: string): string {
  const target = resolve(volume, subPath);
  if (isAbsolute(subPath) || !inside(volume, target))
    throw new ContainerConfigError(`subPath "${subPath}" leaves its volume`);
  if (existsSync(target) && !inside(realpathSync(volume), realpathSync(target)))
    throw new ContainerConfigError(`subPath "${subPath}" leaves its volume through a symlink`);
  return target;
}

export interface VolumeOptions {
  /** `<root>/pods`: one directory per pod uid. */
  readonly podsDir: string;
  readonly cluster: ClusterPort;
  /** False on hollow nodes: sources are checked, nothing is written to disk. */
  readonly materialize: boolean;
}

/**
 * Prepares a pod's volumes on the host and returns the host path of each: emptyDir (tmpfs for
 * medium Memory), hostPath, and configMap / secret projected as files (items, defaultMode). A
 * missing ConfigMap or Secret that is not optional is a CreateContainerConfigError.
 */
export async function prepareVolumes(pod: Pod, opts: VolumeOptions): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const base = join(opts.podsDir, pod.metadata.uid ?? 'unknown', 'volumes');
  for (const v of pod.spec.volumes ?? []) {
    // The API refuses such names; a pod from elsewhere (an older store) must not reach past `base`.
    if (!DNS_LABEL.test(v.name)) throw new ContainerConfigError(`invalid volume name "${v.name}"`);
    const dir = join(base, v.name);
    paths.set(v.name, v.hostPath ? v.hostPath.path : dir);
    await prepareOne(pod, v, dir, opts);
  }
  return paths;
}

async function prepareOne(pod: Pod, v: Volume, dir: string, opts: VolumeOptions): Promise<void> {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.configMap) {
    const cm = await opts.cluster.getConfigMap(ns, v.configMap.name ?? '');
    if (!cm && !v.configMap.optional) {
      throw new ContainerConfigError(`configmap "${v.configMap.name}" not found`);
    }
    const data: Record<string, Buffer> = {};
    for (const [k, s] of Object.entries(cm?.data ?? {})) data[k] = Buffer.from(s, 'utf8');
    for (const [k, s] of Object.entries(cm?.binaryData ?? {})) data[k] = Buffer.from(s, 'base64');
    if (opts.materialize) await project(dir, data, v.configMap.items, v.configMap.defaultMode);
    return;
  }
  if (v.secret) {
    const secret = await opts.cluster.getSecret(ns, v.secret.secretName ?? '');
    if (!secret && !v.secret.optional) {
      throw new ContainerConfigError(`secret "${v.secret.secretName}" not found`);
    }
    const data: Record<string, Buffer> = {};
    for (const [k, s] of Object.entries(secret?.data ?? {})) data[k] = Buffer.from(s, 'base64');
    if (opts.materialize) await project(dir, data, v.secret.items, v.secret.defaultMode);
    return;
  }
  if (!opts.materialize) return;
  if (v.hostPath) {
    const t = v.hostPath.type ?? '';
    if (t === 'DirectoryOrCreate') await mkdir(v.hostPath.path, { recursive: true });
    return;
  }
  if (v.emptyDir || Object.keys(v).length === 1) {
    await mkdir(dir, { recursive: true, mode: 0o777 });
    if (v.emptyDir?.medium === 'Memory') await mountTmpfs(dir);
  }
}

/** Writes the keys (or only `items`, renamed) as files with the given mode (default 0644). */
async function project(
  dir: string,
  data: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode = 0o644,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const entries = items
    ? items
        .filter((i) => data[i.key] !== undefined)
        .map((i) => [i.path, data[i.key]!, i.mode] as const)
    : Object.entries(data).map(([k, b]) => [k, b, undefined] as const);
  for (const [rel, bytes, mode] of entries) {
    const file = resolve(dir, rel);
    if (isAbsolute(rel) || !inside(dir, file)) continue; // validation rejects these too
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    await chmod(file, mode ?? defaultMode);
  }
}

async function mountTmpfs(dir: string): Promise<void> {
  // Only root can mount; without root the directory stays on disk (process runtime, tests).
  if (process.getuid?.() !== 0) return;
  const { stdout } = await run('findmnt', ['-n', '-o', 'FSTYPE', dir]).catch(() => ({
    stdout: '',
  }));
  if (stdout.trim() === 'tmpfs') return;
  await run('mount', ['-t', 'tmpfs', '-o', 'mode=1777', 'tmpfs', dir]);
}

/** Unmounts tmpfs volumes and removes the pod's volume directories. */
export async function cleanupVolumes(podsDir: string, uid: string, pod?: Pod): Promise<void> {
  const base = join(podsDir, uid, 'volumes');
  for (const v of pod?.spec.volumes ?? []) {
    if (v.emptyDir?.medium === 'Memory' && process.getuid?.() === 0) {
      await run('umount', [join(base, v.name)]).catch(() => undefined);
    }
  }
  await rm(join(podsDir, uid), { recursive: true, force: true });
}

/** The container's mounts from its volumeMounts and the prepared host paths. */
export function containerMounts(
  pod: Pod,
  container: Container,
  paths: Map<string, string>,
): Mount[] {
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return (container.volumeMounts ?? []).flatMap((m): Mount[] => {
    const host = paths.get(m.name);
    const v = volumes.get(m.name);
    if (host === undefined || !v) return [];
    const readOnly = m.readOnly ?? Boolean(v.configMap || v.secret);
    return [
      {
        containerPath: m.mountPath,
        hostPath: m.subPath ? subPathOnHost(host, m.subPath) : host,
        type: 'bind',
        readOnly,
      },
    ];
  });
}
