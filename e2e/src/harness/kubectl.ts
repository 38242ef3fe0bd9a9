import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { KUBECTL } from './prerequisites';

const run = promisify(execFile);

export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')} failed (${code}): ${stderr.trim()}`);
  }
}

/** The real kubectl (1.32) against one kubeconfig and namespace, as a user types it. */
export class Kubectl {
  constructor(
    readonly kubeconfig: string,
    readonly namespace: string,
  ) {}

  private argv(args: readonly string[]): string[] {
    return [
      '--kubeconfig',
      this.kubeconfig,
      '-n',
      this.namespace,
      '--request-timeout=30s',
      ...args,
    ];
  }

  /** Runs kubectl; stdout on success, a KubectlError (with stderr) otherwise. */
  async run(
    args: readonly string[],
    opts: { input?: string; timeoutMs?: number } = {},
  ): Promise<string> {
    if (opts.input !== undefined) return this.withInput(args, opts.input, opts.timeoutMs ?? 60_000);
    try {
      const { stdout } = await run(KUBECTL, this.argv(args), {
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (e) {
      const err = e as { code?: number; stderr?: string; message: string };
      throw new KubectlError(
        args,
        typeof err.code === 'number' ? err.code : -1,
        err.stderr ?? err.message,
      );
    }
  }

  async json<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.run([...args, '-o', 'json'])) as T;
  }

  /** kubectl with `input` on its stdin (`apply -f -`, `exec -i`). */
  private withInput(args: readonly string[], input: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, this.argv(args), { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(stdout);
        else reject(new KubectlError(args, code ?? -1, stderr));
      });
      child.stdin.end(input);
    });
  }
}
