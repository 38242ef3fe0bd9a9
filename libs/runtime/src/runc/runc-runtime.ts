import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@bosun/common';
import type { Socket } from 'node:net';
import { inPseudoTerminal, spawnSession } from '../exec-helpers';
import { connectTcp } from '../port-forward';
import { BOSUN_ID_PREFIX, newId } from '../ids';
import { resolveProcess } from '../resolve-process';
import { conflict, notFound } from '../runtime-errors';
import {
  ContainerState,
  SandboxState,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ExecRequest,
  type ExecSession,
  type RuntimeInfo,
  type SandboxConfig,
  type SandboxStatus,
} from '../types';
import { cgroupStats, removeCgroupTree } from './cgroups';
import {
  containerPaths,
  containerStatusOf,
  writeJson,
  type ContainerMeta,
} from './container-record';
import { buildOciSpec } from './oci-spec';
import { PodNetwork } from './pod-network';
import { mountOverlayRootfs, unmountOverlayRootfs } from './rootfs-overlay';
import { RuncCli } from './runc-cli';
import {
  createSandboxNamespaces,
  removeSandboxNamespaces,
  sandboxNamespacePaths,
  type SandboxNamespaces,
} from './sandbox-namespaces';
import { sandboxHostname, writeSandboxEtc } from './sandbox-files';
import {
  createWithMonitor,
  monitorAlive,
  monitorPaths,
  rotateLog,
  type ExitRecord,
} from './conmon';
import { JsonFileCache } from './json-file-cache';
import { waitUntil } from './wait-until';
import { resolveUser } from './image-user';

export interface RuncRuntimeOptions {
  /** State directory: sandboxes, container bundles, logs, IPAM, runc's own state. */
  readonly root: string;
  readonly logger: Logger;
  /** The node's pod CIDR and bridge (e.g. `10.244.1.0/24` on `bosun0`). */
  readonly podCidr: string;
  readonly bridge?: string;
  /** Container cgroups go under `/<cgroupParent>/<id>` (default `bosun`). */
  readonly cgroupParent?: string;
  readonly runcBinary?: string;
  /** The container monitor (Debian package `conmon`). */
  readonly conmonBinary?: string;
}

export const DEFAULT_CONMON = '/usr/bin/conmon';

/** How often the logs of running containers are checked against their size limit. */
const LOG_ROTATION_MS = 1000;

interface SandboxRecord extends SandboxStatus {
  readonly etcFiles: Record<string, string>;
  readonly hostname: string;
  readonly namespaces: SandboxNamespaces;
}

/**
 * Real OCI containers through runc. Every piece of state is a file under `root` (and runc's
 * state under `root/runc`), and every container runs under its own detached conmon, so a new
 * RuncRuntime on the same root adopts what an earlier one started: nothing is killed or re-run.
 */
export class RuncRuntime implements ContainerRuntime {
  readonly network: PodNetwork;
  readonly runc: RuncCli;
  private readonly cgroupParent: string;
  private version = 'unknown';
  private readonly conmon: string;
  /** Running containers whose log has a size limit: id -> bytes. */
  private readonly rotating = new Map<string, number>();
  /** Last status of each container, reused while it cannot have changed (see statusOf). */
  private readonly statuses = new Map<string, ContainerStatus>();
  /** sandbox.json and meta.json contents, reread only when the file's mtime changes. */
  private readonly files = new JsonFileCache();
  private rotation: NodeJS.Timeout | undefined;

  private constructor(private readonly options: RuncRuntimeOptions) {
    this.runc = new RuncCli(options.runcBinary ?? '/usr/sbin/runc', join(options.root, 'runc'));
    this.cgroupParent = options.cgroupParent ?? 'bosun';
    this.conmon = options.conmonBinary ?? DEFAULT_CONMON;
    this.network = new PodNetwork({
      bridge: options.bridge ?? 'bosun0',
      podCidr: options.podCidr,
      ipamFile: join(options.root, 'ipam.json'),
      logger: options.logger,
    });
  }

  /** Prepares the state dirs and the node bridge, and adopts whatever an earlier agent left. */
  static async open(options: RuncRuntimeOptions): Promise<RuncRuntime> {
    const runtime = new RuncRuntime(options);
    for (const d of ['runc', 'sandboxes', 'containers']) {
      await mkdir(join(options.root, d), { recursive: true });
    }
    runtime.version = await runtime.runc.version();
    await runtime.network.ensureBridge();
    await runtime.adopt();
    runtime.rotation = setInterval(() => void runtime.rotateLogs(), LOG_ROTATION_MS);
    runtime.rotation.unref();
    return runtime;
  }

  info(): RuntimeInfo {
    return { name: 'runc', version: this.version, isolated: true, notes: [] };
  }

  private async adopt(): Promise<void> {
    const known = new Set(await this.containerIds());
    for (const id of known) {
      const meta = await this.files.json<ContainerMeta>(containerPaths(this.containerDir(id)).meta);
      if (meta?.logMaxBytes && monitorAlive(this.containerDir(id))) {
        this.rotating.set(id, meta.logMaxBytes);
      }
    }
    const running = await this.runc.list();
    const strays = running.filter((s) => s.id.startsWith(BOSUN_ID_PREFIX) && !known.has(s.id));
    for (const s of strays) {
      this.options.logger.warn(
        { id: s.id, status: s.status },
        'runc container without a record left in place',
      );
    }
    this.options.logger.info(
      { containers: known.size, sandboxes: (await this.sandboxIds()).length, runc: running.length },
      'runc runtime adopted existing state',
    );
  }

  // ---- sandboxes ----

  async runPodSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    const id = newId('sb');
    const dir = this.sandboxDir(id);
    await mkdir(dir, { recursive: true });
    const hostname = sandboxHostname(config.name, config.hostname);
    try {
      // IPC/UTS and the network namespace are independent: made at the same time, and both
      // settled before a failure of either is cleaned up.
      const [nsResult, netResult] = await Promise.allSettled([
        createSandboxNamespaces(dir, hostname),
        config.hostNetwork ? undefined : this.network.setUp(id),
      ]);
      if (nsResult.status === 'rejected') throw nsResult.reason;
      if (netResult.status === 'rejected') throw netResult.reason;
      const namespaces = nsResult.value;
      const net = netResult.value;
      const record: SandboxRecord = {
        namespaces,
        id,
        config,
        state: SandboxState.Ready,
        ip: net?.ip,
        netnsPath: net?.netnsPath,
        createdAt: new Date().toISOString(),
        hostname,
        etcFiles: await writeSandboxEtc(dir, hostname, net?.ip),
      };
      await writeJson(join(dir, 'sandbox.json'), record);
      this.options.logger.info(
        { sandbox: id, pod: `${config.namespace}/${config.name}`, ip: net?.ip },
        'sandbox ready',
      );
      return publicSandbox(record);
    } catch (e) {
      await this.network.tearDown(id);
      await removeSandboxNamespaces(sandboxNamespacePaths(dir));
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  async stopPodSandbox(id: string, gracePeriodMs = 0): Promise<void> {
    const record = await this.sandboxRecord(id);
    const own = await this.listContainers({ sandboxId: id });
    await Promise.all(own.map((c) => this.stopContainer(c.id, gracePeriodMs)));
    if (!record.config.hostNetwork) await this.network.tearDown(id);
    await removeSandboxNamespaces(record.namespaces);
    await writeJson(join(this.sandboxDir(id), 'sandbox.json'), {
      ...record,
      state: SandboxState.NotReady,
    });
  }

  async removePodSandbox(id: string): Promise<void> {
    if (!existsSync(join(this.sandboxDir(id), 'sandbox.json'))) return;
    await this.stopPodSandbox(id);
    for (const c of await this.listContainers({ sandboxId: id })) await this.removeContainer(c.id);
    await removeCgroupTree(`/${this.cgroupParent}/${id}`);
    await rm(this.sandboxDir(id), { recursive: true, force: true });
    this.files.forget(`${this.sandboxDir(id)}/`);
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus> {
    return publicSandbox(await this.sandboxRecord(id));
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    const ids = await this.sandboxIds();
    const records = await Promise.all(
      ids.map((id) => this.files.json<SandboxRecord>(join(this.sandboxDir(id), 'sandbox.json'))),
    );
    return records.filter((r): r is SandboxRecord => r !== undefined).map(publicSandbox);
  }

  // ---- containers ----

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = await this.sandboxRecord(sandboxId);
    if (sandbox.state !== SandboxState.Ready) {
      throw conflict(`sandbox ${sandboxId} is not ready`, { sandboxId });
    }
    const id = newId('ct');
    const paths = containerPaths(this.containerDir(id));
    const meta: ContainerMeta = {
      id,
      sandboxId,
      name: config.name,
      imageRef: config.image.ref,
      createdAt: new Date().toISOString(),
      labels: { ...config.labels },
      // A pod-level cgroup above the containers, as the kubelet keeps: pod usage in one place.
      cgroupsPath: `/${this.cgroupParent}/${sandboxId}/${id}`,
      logMaxBytes: config.logMaxBytes,
    };
    const spec = buildOciSpec({
      config,
      process: resolveProcess(config),
      hostname: sandbox.hostname,
      netnsPath: sandbox.netnsPath,
      ipcPath: sandbox.namespaces.ipcPath,
      utsPath: sandbox.namespaces.utsPath,
      cgroupsPath: meta.cgroupsPath,
      etcFiles: sandbox.etcFiles,
      user: await resolveUser(config.image.rootfs, config.image.user),
    });
    await mkdir(paths.dir, { recursive: true });
    try {
      await mountOverlayRootfs(config.image.rootfs, paths);
      await writeFile(join(paths.bundle, 'config.json'), JSON.stringify(spec));
      await writeJson(paths.meta, meta);
    } catch (e) {
      await unmountOverlayRootfs(paths);
      await rm(paths.dir, { recursive: true, force: true });
      throw e;
    }
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const meta = await this.meta(id);
    if (meta.startRequestedAt) throw conflict(`container ${id} was already started`, { id });
    const paths = containerPaths(this.containerDir(id));
    await writeJson(paths.meta, { ...meta, startRequestedAt: new Date().toISOString() });
    const created = await createWithMonitor({
      conmon: this.conmon,
      runc: this.runc.binary,
      runcRoot: this.runc.root,
      id,
      dir: paths.dir,
      pidFile: paths.pid,
      logPath: paths.log,
      // Rotation renames the log at logMaxBytes (see rotateLogs); the cap only bounds a burst
      // written between two rotation passes.
      logHardCapBytes: meta.logMaxBytes ? meta.logMaxBytes * 4 : undefined,
    });
    const failure = created.ok ? await this.runc.start(id) : created.message;
    if (failure === undefined) {
      if (meta.logMaxBytes) this.rotating.set(id, meta.logMaxBytes);
      return;
    }
    // The process never ran (a missing command, say): recorded as such, not as a start failure,
    // so the pod shows ContainerCannotRun like any container that exits at once.
    await this.runc.delete(id);
    const exit: ExitRecord = {
      exitCode: 128,
      finishedAt: new Date().toISOString(),
      oomKilled: false,
      started: false,
      message: failure,
    };
    await writeJson(paths.exit, exit);
  }

  /** Rotates the logs of running containers that have a size limit (kubelet's log manager). */
  private async rotateLogs(): Promise<void> {
    for (const [id, maxBytes] of this.rotating) {
      const dir = this.containerDir(id);
      if (!monitorAlive(dir)) {
        this.rotating.delete(id);
        continue;
      }
      await rotateLog(dir, containerPaths(dir).log, maxBytes).catch((e: unknown) =>
        this.options.logger.warn({ err: e, container: id }, 'log rotation failed'),
      );
    }
  }

  async stopContainer(id: string, gracePeriodMs: number): Promise<void> {
    const status = await this.containerStatus(id);
    if (status.state !== ContainerState.Running) return;
    const dir = this.containerDir(id);
    const exitFiles = [containerPaths(dir).exit, monitorPaths(dir, id).exitCode];
    const ended = () => exitFiles.some((f) => existsSync(f));
    await this.runc.kill(id, 'TERM');
    const exited = await waitUntil(ended, { timeoutMs: gracePeriodMs }).then(
      () => true,
      () => false,
    );
    if (exited) return;
    this.options.logger.info({ container: id, gracePeriodMs }, 'grace period over: SIGKILL');
    await this.runc.kill(id, 'KILL');
    await waitUntil(ended, {
      timeoutMs: 30_000,
      what: `container ${id} to die`,
    });
  }

  async removeContainer(id: string): Promise<void> {
    const dir = this.containerDir(id);
    if (!existsSync(dir)) return;
    const status = await this.containerStatus(id).catch(() => undefined);
    if (status?.state === ContainerState.Running) await this.stopContainer(id, 0);
    await this.runc.delete(id);
    const paths = containerPaths(dir);
    await unmountOverlayRootfs(paths);
    await rm(dir, { recursive: true, force: true });
    this.statuses.delete(id);
    this.files.forget(`${dir}/`);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.statusOf(await this.meta(id));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const metas = await Promise.all(
      (await this.containerIds()).map((id) =>
        this.files.json<ContainerMeta>(containerPaths(this.containerDir(id)).meta),
      ),
    );
    const mine = metas.filter(
      (m): m is ContainerMeta =>
        m !== undefined && (!filter.sandboxId || m.sandboxId === filter.sandboxId),
    );
    const statuses = await Promise.all(mine.map((m) => this.statusOf(m)));
    return statuses.filter((c) => !filter.state || c.state === filter.state);
  }

  /**
   * A container's status from conmon's files (runc is asked only about a container no conmon
   * watches). Relists read every container every second, so what cannot change is remembered:
   * an end is final, and a running container stays running until an exit file appears or its
   * conmon is gone — two stats and a read of /proc instead of half a dozen file reads.
   */
  private async statusOf(meta: ContainerMeta): Promise<ContainerStatus> {
    const known = this.statuses.get(meta.id);
    if (known?.state === ContainerState.Exited) return known;
    const dir = this.containerDir(meta.id);
    const paths = containerPaths(dir);
    if (
      known?.state === ContainerState.Running &&
      !existsSync(paths.exit) &&
      !existsSync(monitorPaths(dir, meta.id).exitCode) &&
      monitorAlive(dir)
    ) {
      return known;
    }
    const status = await containerStatusOf(meta, paths, (cid) => this.runc.state(cid));
    if (status.state === ContainerState.Created) this.statuses.delete(meta.id);
    else this.statuses.set(meta.id, status);
    return status;
  }

  async exec(id: string, request: ExecRequest): Promise<ExecSession> {
    const status = await this.containerStatus(id);
    if (status.state !== ContainerState.Running) {
      throw conflict(`container ${id} is not running`, { id });
    }
    // runc -t needs a terminal on its own stdio to relay: `script` gives it one on the host.
    const pidFile = join(this.containerDir(id), `exec-${randomBytes(6).toString('hex')}.pid`);
    const argv = this.runc.execArgv(id, request.command, request.env, request.tty, pidFile);
    const session = spawnSession(request.tty ? inPseudoTerminal(argv) : argv, {
      // EOF on a terminal's input would be echoed as ^@: a TTY session keeps it open.
      keepStdin: (request.stdin ?? false) || (request.tty ?? false),
    });
    void session.exitCode.finally(() => rm(pidFile, { force: true })).catch(() => undefined);
    return {
      ...session,
      // runc relays signals to the process but cannot relay SIGKILL: signal it directly.
      kill: (signal = 'SIGKILL') => {
        const pid = Number(readFileSyncOr(pidFile));
        if (pid > 0) signalPid(pid, signal);
        else session.kill(signal);
      },
    };
  }

  async portForward(sandboxId: string, port: number): Promise<Socket> {
    const sandbox = await this.sandboxRecord(sandboxId);
    if (sandbox.state !== SandboxState.Ready) {
      throw conflict(`sandbox ${sandboxId} is not ready`, { sandboxId });
    }
    // The node routes to pod IPs over the bridge; host-network pods listen on the host.
    return connectTcp(sandbox.ip ?? '127.0.0.1', port);
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const meta = await this.meta(id);
    return { id, timestamp: new Date().toISOString(), ...(await cgroupStats(meta.cgroupsPath)) };
  }

  async close(): Promise<void> {
    clearInterval(this.rotation);
    // Containers and their monitors keep running: a later RuncRuntime adopts them.
  }

  // ---- files ----

  private sandboxDir(id: string): string {
    return join(this.options.root, 'sandboxes', safeId(id));
  }

  private containerDir(id: string): string {
    return join(this.options.root, 'containers', safeId(id));
  }

  private async sandboxRecord(id: string): Promise<SandboxRecord> {
    const r = await this.files.json<SandboxRecord>(join(this.sandboxDir(id), 'sandbox.json'));
    if (!r) throw notFound('sandbox', id);
    return r;
  }

  private async meta(id: string): Promise<ContainerMeta> {
    const meta = await this.files.json<ContainerMeta>(containerPaths(this.containerDir(id)).meta);
    if (!meta) throw notFound('container', id);
    return meta;
  }

  private async sandboxIds(): Promise<string[]> {
    return (await readdir(join(this.options.root, 'sandboxes')).catch(() => [])).filter((n) =>
      n.startsWith(BOSUN_ID_PREFIX),
    );
  }

  private async containerIds(): Promise<string[]> {
    return (await readdir(join(this.options.root, 'containers')).catch(() => [])).filter((n) =>
      n.startsWith(BOSUN_ID_PREFIX),
    );
  }
}

function readFileSyncOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function publicSandbox(r: SandboxRecord): SandboxStatus {
  return {
    id: r.id,
    config: r.config,
    state: r.state,
    ip: r.ip,
    netnsPath: r.netnsPath,
    createdAt: r.createdAt,
  };
}

/** Ids come from callers (the agent, over gRPC): never let one name a path outside the root. */
function safeId(id: string): string {
  if (!/^[a-z0-9-]+$/.test(id)) throw notFound('container', id);
  return id;
}
