import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

/**
 * Why a private Postgres cannot run here, or undefined when it can. It needs the server binaries
 * and root (to run them as the `postgres` user), so a fault test can restart the database it uses
 * without disturbing the shared one.
 */
export function privatePostgresUnavailable(): string | undefined {
  if (!postgresBinDir()) return 'PostgreSQL server binaries are not installed';
  if (userInfo().uid !== 0) return 'needs root to run postgres as the postgres user';
  return undefined;
}

export class PrivatePostgresServer {
  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly bin: string,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(): Promise<PrivatePostgresServer> {
    const why = privatePostgresUnavailable();
    if (why) throw new Error(`private Postgres unavailable: ${why}`);
    const bin = postgresBinDir()!;
    const dir = mkdtempSync(join(tmpdir(), 'bosun-pg-'));
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    const data = join(dir, 'data');
    asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const s = new PrivatePostgresServer(await freePort(), dir, bin);
    s.startProcess();
    return s;
  }

  startProcess(): void {
    const opts = `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    asPostgres(join(this.bin, 'pg_ctl'), [
      '-D',
      join(this.dataDir, 'data'),
      '-l',
      join(this.dataDir, 'log'),
      '-o',
      opts,
      '-w',
      'start',
    ]);
  }

  /** `immediate` is a crash as far as clients see it; `fast` a clean shutdown. */
  stopProcess(mode: 'fast' | 'immediate' = 'fast'): void {
    asPostgres(join(this.bin, 'pg_ctl'), [
      '-D',
      join(this.dataDir, 'data'),
      '-m',
      mode,
      '-w',
      'stop',
    ]);
  }

  restart(mode: 'fast' | 'immediate' = 'fast'): void {
    this.stopProcess(mode);
    this.startProcess();
  }

  dispose(): void {
    try {
      this.stopProcess('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function asPostgres(cmd: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
}
