/**
 * The per-container shim (like conmon): started detached by the runc runtime, it outlives the
 * agent. It runs `runc run --keep` in the foreground, turns the container's stdout/stderr into
 * the CRI log file, and when the container ends writes `exit.json` (exit code, time, whether the
 * kernel OOM-killed it — read from the cgroup, which `--keep` leaves in place until delete).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { CriLogWriter } from '../cri-log-writer';
import { oomKillCount } from './cgroups';

export interface ShimConfig {
  readonly runc: string;
  readonly runcRoot: string;
  readonly id: string;
  readonly bundle: string;
  readonly pidFile: string;
  readonly exitFile: string;
  readonly logPath: string;
  readonly logMaxBytes?: number;
  readonly cgroupsPath: string;
}

export interface ExitRecord {
  readonly exitCode: number;
  readonly finishedAt: string;
  readonly oomKilled: boolean;
  /** False when runc never got the process running (bad command, missing binary...). */
  readonly started: boolean;
  readonly message?: string;
}

function main(configPath: string): void {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as ShimConfig;
  // The agent stops containers with `runc kill`; signals to the shim itself are not ours to obey.
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, () => undefined);
  const log = new CriLogWriter(config.logPath, config.logMaxBytes);
  let stderrTail = '';
  const child = spawn(
    config.runc,
    [
      '--root',
      config.runcRoot,
      'run',
      '--keep',
      '--bundle',
      config.bundle,
      '--pid-file',
      config.pidFile,
      config.id,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: config.bundle },
  );
  child.stdout.on('data', (c: Buffer) => log.write('stdout', c));
  child.stderr.on('data', (c: Buffer) => {
    log.write('stderr', c);
    stderrTail = (stderrTail + c.toString()).slice(-2000);
  });
  const finish = async (exitCode: number) => {
    log.close();
    const started = existsSync(config.pidFile);
    const record: ExitRecord = {
      exitCode,
      finishedAt: new Date().toISOString(),
      oomKilled: started && (await oomKillCount(config.cgroupsPath)) > 0,
      started,
      message: started ? undefined : stderrTail.trim(),
    };
    writeFileSync(`${config.exitFile}.tmp`, JSON.stringify(record));
    renameSync(`${config.exitFile}.tmp`, config.exitFile);
    process.exit(0);
  };
  child.once('error', (e) => {
    stderrTail = e.message;
    void finish(128);
  });
  child.once('close', (code, signal) => {
    void finish(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 0));
  });
}

if (require.main === module) main(process.argv[2]);
