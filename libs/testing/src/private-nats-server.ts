import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

export function natsServerBinary(): string | undefined {
  return process.env.NATS_SERVER_BIN ?? CANDIDATES.find((p) => existsSync(p));
}

/**
 * A NATS server with JetStream that a fault test owns: it can stop it, start it again on the same
 * port and storage, or wipe its storage — without touching the shared server other suites use.
 */
export class PrivateNatsServer {
  private proc?: ChildProcess;
  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly bin: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateNatsServer> {
    const bin = natsServerBinary();
    if (!bin) throw new Error('nats-server is not installed (Debian package: nats-server)');
    const s = new PrivateNatsServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'bosun-nats-')),
      bin,
    );
    await s.startProcess();
    return s;
  }

  async startProcess(): Promise<void> {
    if (this.proc) return;
    this.proc = spawn(
      this.bin,
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir],
      { stdio: 'ignore' },
    );
    const proc = this.proc;
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = undefined;
    });
    await waitFor(() => canConnect(this.port), {
      timeoutMs: 10_000,
      what: 'nats-server to listen',
    });
  }

  /** SIGKILL, as a crash would; storage stays. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    this.proc = undefined;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.startProcess();
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}
