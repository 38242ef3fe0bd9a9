import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'nats';
import {
  createTestSchema,
  freePort,
  natsUrl,
  uniquePrefix,
  waitFor,
  type TestSchema,
} from '@bosun/testing';
import { BOSUN_BIN } from './prerequisites';

const run = promisify(execFile);

/** `bosun status --output json` (the contract `bosun up` keeps for this suite). */
export interface ClusterStatus {
  readonly running: boolean;
  readonly home: string;
  readonly api: string;
  readonly kubeconfig: string;
  readonly runtime: string;
  readonly hostAddress: string;
  /** The node bridge (runc nodes). */
  readonly bridge?: string | null;
  /** pid null: not running. */
  readonly services: readonly { name: string; pid: number | null; ready: boolean }[];
  readonly nodes: readonly {
    name: string;
    pid: number | null;
    address: string;
    netns: string | null;
    podCIDR: string;
    ready: boolean;
    /** The agent's state directory. */
    root?: string;
  }[];
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One local cluster as a user starts it: `node apps/cli/bin/bosun.js up --nodes N` (what
 * `npm start` runs) as a child process, with its own BOSUN_HOME, Postgres schema, NATS prefix and
 * ports, so it runs beside any other suite. Its output goes to `<home>/bosun-up.<n>.out`.
 */
export class BosunCluster {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private output = '';
  private starts = 0;
  private lastStatus: ClusterStatus | undefined;

  private constructor(
    readonly home: string,
    readonly env: NodeJS.ProcessEnv,
    readonly nodes: number,
    private readonly schema: TestSchema,
    private readonly natsPrefix: string,
  ) {}

  /** Allocates the cluster's identity (home, schema, prefix, ports); nothing runs yet. */
  static async create(opts: {
    nodes: number;
    env?: Record<string, string>;
  }): Promise<BosunCluster> {
    const schema = await createTestSchema('e2e');
    const home = mkdtempSync(join(tmpdir(), 'bosun-e2e-'));
    const natsPrefix = uniquePrefix('e2e');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BOSUN_HOME: home,
      DATABASE_URL: schema.url,
      DATABASE_SCHEMA: schema.schema,
      NATS_URL: natsUrl(),
      NATS_PREFIX: natsPrefix,
      BOSUN_API_PORT: String(await freePort()),
      BOSUN_API_GRPC_PORT: String(await freePort()),
      BOSUN_API_HEALTH_PORT: String(await freePort()),
      BOSUN_SCHEDULER_HEALTH_PORT: String(await freePort()),
      BOSUN_CONTROLLER_MANAGER_HEALTH_PORT: String(await freePort()),
      BOSUN_CLOUD_CONTROLLER_MANAGER_HEALTH_PORT: String(await freePort()),
      ...opts.env,
    };
    delete env.KUBECONFIG;
    return new BosunCluster(home, env, opts.nodes, schema, natsPrefix);
  }

  get kubeconfig(): string {
    return join(this.home, 'kubeconfig');
  }

  /** Whether the `bosun up` process is still running. */
  get upRunning(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What `bosun up` printed so far (all starts), for failure messages. */
  get upOutput(): string {
    return this.output;
  }

  /** Runs `bosun up --nodes N` and waits for its summary (every service and node ready). */
  async up(timeoutMs = 240_000): Promise<string> {
    if (this.upRunning) throw new Error('bosun up is already running');
    const n = ++this.starts;
    const log: WriteStream = createWriteStream(join(this.home, `bosun-up.${n}.out`));
    const child = spawn(process.execPath, [BOSUN_BIN, 'up', '--nodes', String(this.nodes)], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let mine = '';
    const take = (d: Buffer) => {
      mine += d.toString();
      this.output += d.toString();
      log.write(d);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        log.end();
        resolve(code);
      }),
    );
    await waitFor(
      () => {
        if (!this.upRunning) throw new Error(`bosun up exited (${child.exitCode}):\n${mine}`);
        return mine.includes('export KUBECONFIG=');
      },
      { timeoutMs, intervalMs: 200, what: `bosun up to print its summary` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n--- bosun up output ---\n${mine}`, { cause: e.cause });
    });
    return mine;
  }

  /** Any `bosun` command against this cluster (same BOSUN_HOME), never throwing. */
  async bosun(args: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [BOSUN_BIN, ...args], {
        env: this.env,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string; message: string };
      return {
        code: typeof err.code === 'number' ? err.code : -1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? err.message,
      };
    }
  }

  /** `bosun status --output json`. */
  async status(): Promise<ClusterStatus> {
    const r = await this.bosun(['status', '--output', 'json']);
    if (r.code !== 0 && !r.stdout.trim().startsWith('{')) {
      throw new Error(`bosun status failed (${r.code}): ${r.stderr}${r.stdout}`);
    }
    const status = JSON.parse(r.stdout) as ClusterStatus;
    if (status.running) this.lastStatus = status;
    return status;
  }

  /** The last status seen while the cluster ran (for cleanup after a failure). */
  get lastKnownStatus(): ClusterStatus | undefined {
    return this.lastStatus;
  }

  /** `bosun down`, then waits for the `bosun up` process to end; returns down's result. */
  async down(): Promise<{ result: CommandResult; upExit: number | null | undefined }> {
    const result = await this.bosun(['down'], 120_000);
    const upExit = this.exited
      ? await Promise.race([
          this.exited,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000).unref()),
        ])
      : undefined;
    return { result, upExit };
  }

  /**
   * Last-resort stop for a failed run: `bosun down`; if `bosun up` still lives, SIGTERM and then
   * SIGKILL it and every process the last status named.
   */
  async forceStop(): Promise<void> {
    if (!this.upRunning) return;
    await this.down().catch(() => undefined);
    if (!this.upRunning) return;
    this.child!.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 30_000).unref())]);
    if (!this.upRunning) return;
    this.child!.kill('SIGKILL');
    for (const p of [
      ...(this.lastStatus?.services ?? []).map((s) => s.pid),
      ...(this.lastStatus?.nodes ?? []).map((s) => s.pid),
    ]) {
      if (!p) continue;
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
  }

  /** Drops the schema and the NATS stream and removes BOSUN_HOME (the cluster must be down). */
  async dispose(): Promise<void> {
    await this.schema.drop().catch(() => undefined);
    const nc = await connect({ servers: natsUrl() }).catch(() => undefined);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(`${this.natsPrefix}_EVENTS`).catch(() => undefined);
      await nc.close();
    }
    rmSync(this.home, { recursive: true, force: true });
  }

  /** The tail of one service's log under BOSUN_HOME (for failure messages). */
  logTail(service: string, lines = 40): string {
    try {
      const text = readFileSync(join(this.home, 'logs', `${service}.log`), 'utf8');
      return text.split('\n').slice(-lines).join('\n');
    } catch {
      return `(no log for ${service})`;
    }
  }
}
