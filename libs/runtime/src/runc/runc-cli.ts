import { run, tryRun } from './command';

export interface RuncState {
  readonly id: string;
  readonly pid: number;
  readonly status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
}

/** The few runc commands the runtime uses, all against one state directory (`--root`). */
export class RuncCli {
  constructor(
    readonly binary: string,
    readonly root: string,
  ) {}

  async state(id: string): Promise<RuncState | undefined> {
    try {
      return JSON.parse(
        (await run(this.binary, ['--root', this.root, 'state', id])).stdout,
      ) as RuncState;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<RuncState[]> {
    try {
      const out = (await run(this.binary, ['--root', this.root, 'list', '--format', 'json']))
        .stdout;
      return (JSON.parse(out) as RuncState[] | null) ?? [];
    } catch {
      return [];
    }
  }

  /** Starts a created container; the error runc gave, or undefined when it started. */
  async start(id: string): Promise<string | undefined> {
    try {
      await run(this.binary, ['--root', this.root, 'start', id]);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  kill(id: string, signal: 'TERM' | 'KILL'): Promise<boolean> {
    return tryRun(this.binary, ['--root', this.root, 'kill', id, signal]);
  }

  delete(id: string): Promise<boolean> {
    return tryRun(this.binary, ['--root', this.root, 'delete', '--force', id]);
  }

  execArgv(
    id: string,
    command: readonly string[],
    env: Readonly<Record<string, string>> = {},
    tty = false,
    pidFile?: string,
  ): string[] {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    return [
      this.binary,
      '--root',
      this.root,
      'exec',
      ...(tty ? ['-t'] : []),
      ...(pidFile ? ['--pid-file', pidFile] : []),
      ...envArgs,
      id,
      ...command,
    ];
  }

  async version(): Promise<string> {
    const out = (await run(this.binary, ['--version'])).stdout;
    return /runc version (\S+)/.exec(out)?.[1] ?? 'unknown';
  }
}
