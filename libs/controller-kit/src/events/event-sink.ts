import type { Logger } from '@bosun/common';

export interface EventSinkOptions {
  /** Events waiting beyond this are dropped, as client-go's broadcaster drops them (default 10,000). */
  readonly maxQueued?: number;
  /** Event writes in flight at once (default 4), so the real work keeps most of the api-server. */
  readonly concurrency?: number;
}

/**
 * Events are best effort and must never slow the work they report (placement, reconciles): they
 * queue here and are written by a few workers in the background. Under a burst they trail the
 * work; past `maxQueued` new ones are dropped and counted, as client-go's event broadcaster does
 * when its buffer is full.
 */
export class EventSink {
  private readonly queue: Array<() => Promise<void>> = [];
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  dropped = 0;

  constructor(
    private readonly log: Logger,
    opts: EventSinkOptions = {},
  ) {
    this.maxQueued = opts.maxQueued ?? 10_000;
    this.concurrency = opts.concurrency ?? 4;
  }

  record(write: () => Promise<void>): void {
    if (this.queue.length >= this.maxQueued) {
      if (this.dropped++ % 1000 === 0) {
        this.log.warn({ dropped: this.dropped }, 'event buffer full; dropping events');
      }
      return;
    }
    this.queue.push(write);
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.active;
  }

  /** Resolves once every queued event was written (or failed). */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const write = this.queue.shift()!;
      this.active++;
      void write()
        .catch((error: unknown) => this.log.warn({ err: error }, 'event not recorded'))
        .finally(() => {
          this.active--;
          this.pump();
          if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }
}
