export interface BackoffConfig {
  /** First delay (kubelet: 10 s), doubled per restart up to `maxMs` (5 min). */
  readonly initialMs: number;
  readonly maxMs: number;
  /** A container that ran this long before exiting starts over at `initialMs` (10 min). */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = {
  initialMs: 10_000,
  maxMs: 300_000,
  resetAfterMs: 600_000,
};

interface Entry {
  delayMs: number;
  /** When the last restart happened (epoch ms): the back-off window runs from there. */
  restartedAt: number;
}

/**
 * The kubelet's restart back-off, per key (pod uid + container name): the first restart is
 * immediate; a container that exits again within `delay` of its last restart waits until that
 * window is over, and the delay doubles per restart, capped; a long run resets it.
 */
export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly config: BackoffConfig) {}

  /** Milliseconds left before `key` may restart; 0 when it may restart now. */
  remaining(key: string, now: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.restartedAt + e.delayMs - now) : 0;
  }

  /** Records a restart at `now` of a container that had run `ranMs` before it exited. */
  next(key: string, now: number, ranMs: number): void {
    const e = this.entries.get(key);
    const delayMs =
      !e || ranMs >= this.config.resetAfterMs
        ? this.config.initialMs
        : Math.min(e.delayMs * 2, this.config.maxMs);
    this.entries.set(key, { delayMs, restartedAt: now });
  }

  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
