import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { BosunError, ErrorCode } from '@bosun/common';
import { newId } from '../ids';
import { resolveProcess } from '../resolve-process';
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
  type ExecResult,
  type ExecSession,
  type RuntimeInfo,
  type SandboxConfig,
  type SandboxStatus,
} from '../types';

/** What a fake container does once started: keep running, or exit at once. */
export type FakeOutcome =
  { readonly run: true } | { readonly exitCode: number; readonly oomKilled?: boolean };

export interface FakeRuntimeOptions {
  /** Decides each container's fate at start (default: keeps running until stopped). */
  readonly onStart?: (config: ContainerConfig) => FakeOutcome;
  /** Answers exec calls (default: exit code 0, no output). */
  readonly onExec?: (containerId: string, request: ExecRequest) => Partial<ExecResult>;
  /** Pod IPs handed out are `<podIpPrefix>.<n>` (n counts up). */
  readonly podIpPrefix?: string;
}

interface FakeContainer {
  status: ContainerStatus;
  readonly config: ContainerConfig;
}

/**
 * No processes, no files: state moves created -> running -> exited instantly, so thousands of
 * hollow nodes fit in one process. Exits and OOM kills are injected with `injectExit`.
 */
export class FakeRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxStatus>();
  private readonly containers = new Map<string, FakeContainer>();
  private nextIp = 2;

  constructor(private readonly options: FakeRuntimeOptions = {}) {}

  info(): RuntimeInfo {
    return {
      name: 'fake',
      version: '0',
      isolated: false,
      notes: ['fake runtime: no processes run'],
    };
  }

  async runPodSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    const n = this.nextIp++;
    const prefix = this.options.podIpPrefix ?? '10.250';
    const status: SandboxStatus = {
      id: newId('sb'),
      config,
      state: SandboxState.Ready,
      ip: config.hostNetwork ? undefined : `${prefix}.${(n >> 8) & 255}.${n & 255}`,
      createdAt: new Date().toISOString(),
    };
    this.sandboxes.set(status.id, status);
    return status;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sandbox = this.sandbox(id);
    for (const c of this.containers.values()) {
      if (c.status.sandboxId === id) await this.stopContainer(c.status.id);
    }
    this.sandboxes.set(id, { ...sandbox, state: SandboxState.NotReady });
  }

  async removePodSandbox(id: string): Promise<void> {
    for (const c of [...this.containers.values()]) {
      if (c.status.sandboxId === id) this.containers.delete(c.status.id);
    }
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus> {
    return this.sandbox(id);
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    return [...this.sandboxes.values()];
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    this.sandbox(sandboxId);
    resolveProcess(config); // the same validation as the real runtimes
    const id = newId('ct');
    const status: ContainerStatus = {
      id,
      sandboxId,
      name: config.name,
      imageRef: config.image.ref,
      state: ContainerState.Created,
      createdAt: new Date().toISOString(),
      logPath: `/dev/null`,
      labels: { ...config.labels },
    };
    this.containers.set(id, { status, config });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    if (c.status.state !== ContainerState.Created) {
      throw conflict(`container ${id} is ${c.status.state}, not created`, { id });
    }
    const now = new Date().toISOString();
    c.status = { ...c.status, state: ContainerState.Running, pid: 1, startedAt: now };
    const outcome = this.options.onStart?.(c.config) ?? { run: true };
    if ('exitCode' in outcome) this.injectExit(id, outcome.exitCode, outcome.oomKilled);
  }

  /** Makes a running container exit now, as if its process ended (or was OOM-killed). */
  injectExit(id: string, exitCode: number, oomKilled = false): void {
    const c = this.container(id);
    if (c.status.state !== ContainerState.Running) return;
    const reason = oomKilled
      ? ExitReason.OOMKilled
      : exitCode === 0
        ? ExitReason.Completed
        : ExitReason.Error;
    c.status = {
      ...c.status,
      state: ContainerState.Exited,
      pid: undefined,
      exitCode,
      reason,
      finishedAt: new Date().toISOString(),
    };
  }

  async stopContainer(id: string): Promise<void> {
    // A fake process honours SIGTERM at once: 128 + 15.
    this.injectExit(id, 143);
  }

  async removeContainer(id: string): Promise<void> {
    this.containers.delete(id);
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
    if (this.container(id).status.state !== ContainerState.Running) {
      throw conflict(`container ${id} is not running`, { id });
    }
    const result = this.options.onExec?.(id, request) ?? {};
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.end(result.stdout ?? '');
    stderr.end(result.stderr ?? '');
    return {
      stdin: new PassThrough(),
      stdout,
      stderr,
      exitCode: Promise.resolve(result.exitCode ?? 0),
      kill: () => undefined,
    };
  }

  async portForward(sandboxId: string, _port?: number): Promise<Socket> {
    this.sandbox(sandboxId);
    throw new BosunError(ErrorCode.BadRequest, 'the fake runtime has no network to forward to', {
      context: { sandboxId },
    });
  }

  async containerStats(id: string): Promise<ContainerStats> {
    this.container(id);
    return {
      id,
      timestamp: new Date().toISOString(),
      cpuUsageNanos: 0,
      memoryUsageBytes: 0,
      memoryWorkingSetBytes: 0,
    };
  }

  async close(): Promise<void> {}

  private sandbox(id: string): SandboxStatus {
    const s = this.sandboxes.get(id);
    if (!s) throw notFound('sandbox', id);
    return s;
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }
}
