import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Logger } from '@bosun/common';
import { connectTcp } from '../port-forward';
import { CriLogWriter } from '../cri-log-writer';
import { inPseudoTerminal, signalNumber, spawnSession } from '../exec-helpers';
import { newId } from '../ids';
import { resolveProcess, type ResolvedProcess } from '../resolve-process';
import { conflict, notFound } from '../runtime-errors';
import {
  ContainerState,
  ExitReason,
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

export interface ProcessRuntimeOptions {
  /** Logs and per-container working directories live here. */
  readonly root: string;
  readonly logger: Logger;
}

interface ProcessContainer {
  status: ContainerStatus;
  readonly process: ResolvedProcess;
  readonly logMaxBytes?: number;
  child?: ChildProcess;
  exited?: Promise<void>;
}

const NO_ISOLATION =
  'process runtime: containers are plain host processes with NO isolation (no namespaces, no cgroup limits, no image rootfs, no mounts)';

/**
 * Plain host processes, for machines without root or runc. The command runs on the host file
 * system (the image rootfs is not used), in the image working directory when it exists on the
 * host and in a per-container directory otherwise. Nothing survives the agent process.
 */
export class ProcessRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxStatus>();
  private readonly containers = new Map<string, ProcessContainer>();

  constructor(private readonly options: ProcessRuntimeOptions) {
    options.logger.warn({ runtime: 'process' }, NO_ISOLATION);
  }

  info(): RuntimeInfo {
    return { name: 'process', version: process.version, isolated: false, notes: [NO_ISOLATION] };
  }

  async runPodSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    const id = newId('sb');
    await mkdir(join(this.options.root, id), { recursive: true });
    const status: SandboxStatus = {
      id,
      config,
      state: SandboxState.Ready,
      ip: '127.0.0.1',
      createdAt: new Date().toISOString(),
    };
    this.sandboxes.set(id, status);
    return status;
  }

  async stopPodSandbox(id: string, gracePeriodMs = 0): Promise<void> {
    const sandbox = this.sandbox(id);
    const own = [...this.containers.values()].filter((c) => c.status.sandboxId === id);
    await Promise.all(own.map((c) => this.stopContainer(c.status.id, gracePeriodMs)));
    this.sandboxes.set(id, { ...sandbox, state: SandboxState.NotReady });
  }

  async removePodSandbox(id: string): Promise<void> {
    if (!this.sandboxes.has(id)) return;
    await this.stopPodSandbox(id);
    for (const c of [...this.containers.values()]) {
      if (c.status.sandboxId === id) await this.removeContainer(c.status.id);
    }
    this.sandboxes.delete(id);
    await rm(join(this.options.root, id), { recursive: true, force: true });
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus> {
    return this.sandbox(id);
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    return [...this.sandboxes.values()];
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    this.sandbox(sandboxId);
    const id = newId('ct');
    const resolved = resolveProcess(config);
    const dir = join(this.options.root, sandboxId, id);
    await mkdir(dir, { recursive: true });
    const cwd = existsSync(resolved.cwd) ? resolved.cwd : dir;
    this.containers.set(id, {
      process: { ...resolved, cwd },
      logMaxBytes: config.logMaxBytes,
      status: {
        id,
        sandboxId,
        name: config.name,
        imageRef: config.image.ref,
        state: ContainerState.Created,
        createdAt: new Date().toISOString(),
        logPath: join(dir, 'container.log'),
        labels: { ...config.labels },
      },
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    if (c.status.state !== ContainerState.Created) {
      throw conflict(`container ${id} is ${c.status.state}, not created`, { id });
    }
    const log = new CriLogWriter(c.status.logPath, c.logMaxBytes);
    // Own process group, so stop reaches the children a shell started too.
    const child = spawn(c.process.args[0], c.process.args.slice(1), {
      cwd: c.process.cwd,
      env: envObject(c.process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    c.child = child;
    child.stdout!.on('data', (chunk: Buffer) => log.write('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => log.write('stderr', chunk));
    c.exited = new Promise((resolve) => {
      const finish = (exitCode: number, message?: string) => {
        log.close();
        c.status = {
          ...c.status,
          state: ContainerState.Exited,
          pid: undefined,
          exitCode,
          reason: exitCode === 0 ? ExitReason.Completed : ExitReason.Error,
          message,
          finishedAt: new Date().toISOString(),
        };
        resolve();
      };
      child.once('error', (e) => finish(128, e.message));
      child.once('close', (code, signal) => finish(code ?? 128 + signalNumber(signal)));
    });
    c.status = {
      ...c.status,
      state: ContainerState.Running,
      pid: child.pid,
      startedAt: new Date().toISOString(),
    };
  }

  async stopContainer(id: string, gracePeriodMs: number): Promise<void> {
    const c = this.container(id);
    if (c.status.state !== ContainerState.Running || !c.child?.pid) return;
    const group = -c.child.pid;
    signalGroup(group, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(group, 'SIGKILL'), gracePeriodMs);
    await c.exited;
    clearTimeout(timer);
    signalGroup(group, 'SIGKILL'); // leftovers of the group
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.status.state === ContainerState.Running) await this.stopContainer(id, 0);
    this.containers.delete(id);
    await rm(join(this.options.root, c.status.sandboxId, id), { recursive: true, force: true });
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.container(id).status;
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .map((c) => c.status)
      .filter((s) => !filter.sandboxId || s.sandboxId === filter.sandboxId)
      .filter((s) => !filter.state || s.state === filter.state);
  }

  async exec(id: string, request: ExecRequest): Promise<ExecSession> {
    const c = this.container(id);
    if (c.status.state !== ContainerState.Running) {
      throw conflict(`container ${id} is not running`, { id });
    }
    const argv = request.tty ? inPseudoTerminal(request.command) : request.command;
    return spawnSession(argv, {
      cwd: c.process.cwd,
      env: { ...envObject(c.process.env), ...request.env },
      keepStdin: (request.stdin ?? false) || (request.tty ?? false),
    });
  }

  async portForward(sandboxId: string, port: number): Promise<Socket> {
    this.sandbox(sandboxId);
    // Host processes listen on the host itself.
    return connectTcp('127.0.0.1', port);
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const c = this.container(id);
    const pid = c.status.state === ContainerState.Running ? c.status.pid : undefined;
    const { cpu, rss } = pid ? await procStats(pid) : { cpu: 0, rss: 0 };
    return {
      id,
      timestamp: new Date().toISOString(),
      cpuUsageNanos: cpu,
      memoryUsageBytes: rss,
      memoryWorkingSetBytes: rss,
    };
  }

  async close(): Promise<void> {
    // Host processes cannot outlive their supervisor cleanly: stop them.
    await Promise.all([...this.containers.keys()].map((id) => this.stopContainer(id, 0)));
  }

  private sandbox(id: string): SandboxStatus {
    const s = this.sandboxes.get(id);
    if (!s) throw notFound('sandbox', id);
    return s;
  }

  private container(id: string): ProcessContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }
}

function envObject(env: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const e of env) {
    const eq = e.indexOf('=');
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}

/** The process's own CPU time and RSS from /proc (children are not counted: no cgroup here). */
async function procStats(pid: number): Promise<{ cpu: number; rss: number }> {
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, fields 14 and 15
    const rssPages = Number(stat[21]);
    return { cpu: (ticks * 1e9) / 100, rss: rssPages * 4096 };
  } catch {
    return { cpu: 0, rss: 0 };
  }
}
