import { internal } from '../runtime-errors';
import { spawnerExec, type SpawnResult } from './spawner';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a host tool (runc, ip) and fails with a typed error carrying its stderr. The process is
 * started by the spawner's helper: a spawn from the agent itself would block its event loop.
 */
export async function run(
  file: string,
  args: readonly string[],
  input?: string,
): Promise<CommandResult> {
  const failed = (detail: string, cause: unknown) =>
    internal(`${file} ${args.join(' ')} failed: ${detail}`, cause, { file, args });
  let result: SpawnResult;
  try {
    result = await spawnerExec(file, args, input);
  } catch (e) {
    throw failed((e as Error).message, e);
  }
  const { stdout, stderr, error } = result;
  if (error !== undefined) {
    const cause = Object.assign(new Error(error), { code: result.code, signal: result.signal });
    throw failed(stderr.trim() || error, cause);
  }
  return { stdout, stderr };
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
