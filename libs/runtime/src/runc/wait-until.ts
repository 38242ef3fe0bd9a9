import { BosunError, ErrorCode } from '@bosun/common';

export interface WaitUntilOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly what?: string;
  readonly onTimeout?: () => Promise<Error> | Error;
}

/** Polls a cheap condition (a file appearing) until it holds or the time is up. */
export async function waitUntil(check: () => boolean, options: WaitUntilOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 5;
  while (!check()) {
    if (Date.now() >= deadline) {
      if (options.onTimeout) throw await options.onTimeout();
      throw new BosunError(
        ErrorCode.Timeout,
        `timed out waiting for ${options.what ?? 'condition'}`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
