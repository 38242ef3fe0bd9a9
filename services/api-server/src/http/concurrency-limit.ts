import { tooManyRequests } from '@bosun/resource-model';
import type { BosunError } from '@bosun/common';

/**
 * A count of requests served at once with a ceiling: `acquire` answers a release function, or
 * undefined when full (the caller answers 429 with Retry-After). Releasing twice is harmless.
 */
export class ConcurrencyLimit {
  private inUse = 0;

  constructor(
    readonly max: number,
    private readonly what: string,
  ) {}

  get current(): number {
    return this.inUse;
  }

  acquire(): (() => void) | undefined {
    if (this.inUse >= this.max) return undefined;
    this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
    };
  }

  /** The 429 to answer when `acquire` found no room. */
  full(): BosunError {
    return tooManyRequests(`too many ${this.what} in flight, please try again later`, 1);
  }
}
