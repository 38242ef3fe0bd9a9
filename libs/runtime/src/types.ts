import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/**
 * The container runtime port the node agent drives (a narrow, CRI-like contract). Domain types
 * only: no Kubernetes objects; the agent maps pods and containers onto these.
 */

export const RuntimeName = { Runc: 'runc', Process: 'process', Fake: 'fake' } as const;
export type RuntimeName = (typeof RuntimeName)[keyof typeof RuntimeName];

export const SandboxState = { Ready: 'ready', NotReady: 'notready' } as const;
export type SandboxState = (typeof SandboxState)[keyof typeof SandboxState];

export const ContainerState = {
  Created: 'created',
  Running: 'running',
  Exited: 'exited',
  Unknown: 'unknown',
} as const;
export type ContainerState = (typeof ContainerState)[keyof typeof ContainerState];

/** Why a container exited, as Kubernetes reports it in `state.terminated.reason`. */
export const ExitReason = {
  Completed: 'Completed',
  Error: 'Error',
  OOMKilled: 'OOMKilled',
  ContainerCannotRun: 'ContainerCannotRun',
} as const;
export type ExitReason = (typeof ExitReason)[keyof typeof ExitReason];

export interface RuntimeInfo {
  readonly name: RuntimeName;
  readonly version: string;
  /** Whether containers are isolated from the host (namespaces, cgroups). */
  readonly isolated: boolean;
  /** Human-readable caveats (e.g. "no isolation"). */
  readonly notes: readonly string[];
}

export interface SandboxConfig {
  /** Pod identity, kept as labels for listing and adoption. */
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly hostname?: string;
  /** Share the host network instead of getting a pod network namespace and IP. */
  readonly hostNetwork?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SandboxStatus {
  readonly id: string;
  readonly config: SandboxConfig;
  readonly state: SandboxState;
  /** The pod IP, when the sandbox has its own network. */
  readonly ip?: string;
  /** Path of the network namespace the sandbox's containers join. */
  readonly netnsPath?: string;
  readonly createdAt: string;
}

export interface Mount {
  readonly containerPath: string;
  /** Host path for a bind mount; absent for tmpfs. */
  readonly hostPath?: string;
  readonly type?: 'bind' | 'tmpfs';
  readonly readOnly?: boolean;
}

export interface Resources {
  /** Relative CPU weight (Kubernetes cpu shares: 1024 per core requested). */
  readonly cpuShares?: number;
  /** CFS quota in microseconds per `cpuPeriodUs` (default period 100000). */
  readonly cpuQuotaUs?: number;
  readonly cpuPeriodUs?: number;
  readonly memoryLimitBytes?: number;
}

/** The parts of an image a container needs (see @bosun/image `ensureRootfs` / `imageConfig`). */
export interface ContainerImage {
  /** Reference, for status and listing. */
  readonly ref: string;
  /** Unpacked, read-only root filesystem; runtimes never write into it. */
  readonly rootfs: string;
  readonly entrypoint?: readonly string[] | null;
  readonly cmd?: readonly string[] | null;
  readonly env?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
}

export interface ContainerConfig {
  readonly name: string;
  readonly image: ContainerImage;
  /** Replaces the image entrypoint (Kubernetes `command`). */
  readonly command?: readonly string[];
  /** Replaces the image cmd (Kubernetes `args`). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly mounts?: readonly Mount[];
  readonly resources?: Resources;
  /** Capabilities added to / dropped from the default set (names without `CAP_`, or `ALL`). */
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly privileged?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  /** Rotate the log file when it grows past this many bytes (default 10 MiB). */
  readonly logMaxBytes?: number;
}

export interface ContainerStatus {
  readonly id: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly imageRef: string;
  readonly state: ContainerState;
  readonly pid?: number;
  readonly exitCode?: number;
  readonly reason?: ExitReason;
  readonly message?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly logPath: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerFilter {
  readonly sandboxId?: string;
  readonly state?: ContainerState;
}

export interface ExecRequest {
  readonly command: readonly string[];
  readonly tty?: boolean;
  /** Keep stdin open for the caller to write to (otherwise stdin is closed at once). */
  readonly stdin?: boolean;
  readonly env?: Readonly<Record<string, string>>;
}

/** A running exec session: the caller pipes the streams and awaits `exitCode`. */
export interface ExecSession {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Merged into stdout when a TTY is requested. */
  readonly stderr: Readable;
  readonly exitCode: Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ContainerStats {
  readonly id: string;
  readonly timestamp: string;
  /** Cumulative CPU time used, in nanoseconds. */
  readonly cpuUsageNanos: number;
  readonly memoryUsageBytes: number;
  /** Usage minus inactive file cache (what Kubernetes evicts on). */
  readonly memoryWorkingSetBytes: number;
}

export interface ContainerRuntime {
  info(): RuntimeInfo;

  runPodSandbox(config: SandboxConfig): Promise<SandboxStatus>;
  /** Stops every container of the sandbox (grace period applies) and tears its network down. */
  stopPodSandbox(id: string, gracePeriodMs?: number): Promise<void>;
  /** Removes a stopped sandbox and its containers; removing an unknown sandbox is a no-op. */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<SandboxStatus>;
  listPodSandboxes(): Promise<SandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL once `gracePeriodMs` has passed. Stopping an exited container is a no-op. */
  stopContainer(id: string, gracePeriodMs: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;

  exec(id: string, request: ExecRequest): Promise<ExecSession>;
  /** A TCP connection to `port` in the sandbox's network (kubectl port-forward). */
  portForward(sandboxId: string, port: number): Promise<Socket>;
  containerStats(id: string): Promise<ContainerStats>;

  /** Releases in-process resources; running containers keep running (runc, fake). */
  close(): Promise<void>;
}
