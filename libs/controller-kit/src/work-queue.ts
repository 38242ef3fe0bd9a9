import type { Registry } from 'prom-client';
import { realClock, type Clock, type TimerHandle } from './clock';
import { kitMetrics, type KitMetrics } from './metrics';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters';

export interface WorkQueueOptions {
  /** Names the queue in metrics. */
  readonly name: string;
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly registry?: Registry;
}

/**
 * client-go's work queue: a key is in the queue at most once (dirty set), is never handed to two
 * workers at once (processing set), and a key re-added while being processed is queued again when
 * its worker calls `done`. Delays and back-off run on the injected clock.
 */
export class WorkQueue {
  readonly name: string;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { at: number; timer: TimerHandle }>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly metrics: KitMetrics;
  private shuttingDown = false;

  constructor(opts: WorkQueueOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.metrics = kitMetrics(opts.registry);
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics.queueAdds.inc({ name: this.name });
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds after `ms`; a key already waiting keeps the earlier of the two times. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, timer });
  }

  addRateLimited(key: string): void {
    this.metrics.queueRetries.inc({ name: this.name });
    this.addAfter(key, this.limiter.when(key));
  }

  /** Clears the key's failure history: call it when the key was handled successfully. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /** The next key to work on, or undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** A key if one is ready now, without waiting. */
  tryGet(): string | undefined {
    return this.queue.length > 0 ? this.take() : undefined;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
  }

  get length(): number {
    return this.queue.length;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting keys, drops delayed ones and releases every waiting `get` with undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  private push(key: string): void {
    const getter = this.getters.shift();
    if (getter) {
      getter(this.takeKey(key));
      return;
    }
    this.queue.push(key);
    this.metrics.queueDepth.set({ name: this.name }, this.queue.length);
  }

  private take(): string {
    const key = this.queue.shift()!;
    this.metrics.queueDepth.set({ name: this.name }, this.queue.length);
    return this.takeKey(key);
  }

  private takeKey(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
