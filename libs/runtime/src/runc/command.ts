import { execFile } from 'node:child_process';
import { internal } from '../runtime-errors';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a host tool (runc, ip) and fails with a typed error carrying its stderr. */
export function run(file: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(
          internal(`${file} ${args.join(' ')} failed: ${stderr.trim() || err.message}`, err, {
            file,
            args,
          }),
        );
      } else {
        resolve({ stdout, stderr });
      }
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like `run`, but a failure is only reported back (for idempotent teardown steps). */
export async function tryRun(file: string, args: readonly string[]): Promise<boolean> {
  try {
    await run(file, args);
    return true;
  } catch {
    return false;
  }
}
