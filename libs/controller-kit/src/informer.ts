import { createLogger, type Logger } from '@bosun/common';
import { realClock, type Clock, type TimerHandle } from './clock';
import { deepFreeze } from './deep-freeze';
import { IndexedCache } from './indexed-cache';
import { defaultIndexers, type IndexFunc } from './indexers';
import { objectKey, revisionOf } from './object-key';
import type { KubeObject, ListWatchPort, StopWatch, WatchEvent } from './types';

export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** After a re-list, deletes missed during a watch gap are synthesized with the last known state. */
  onDelete?(obj: T): void;
}

export interface InformerOptions<T> {
  /** Names the informer in logs, e.g. 'pods'. */
  readonly name: string;
  readonly port: ListWatchPort<T>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Extra index functions beside namespace, label, owner and nodeName. */
  readonly indexers?: Record<string, IndexFunc<T>>;
  /** Wait before re-listing after a failed list or watch (default 1 s). */
  readonly relistDelayMs?: number;
}

/**
 * List once, then follow the log from the listed revision, keeping a frozen in-memory copy of
 * every object. Consumers read the cache and react to handler calls; the transport may redeliver,
 * so every event at or below what we already hold is dropped (I7).
 */
export class Informer<T extends KubeObject> {
  readonly name: string;
  private readonly cache = new IndexedCache<T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly relistDelayMs: number;
  private synced = false;
  private running = false;
  private lastRevision = 0;
  private stopWatch: StopWatch | undefined;
  private relistTimer: TimerHandle | undefined;
  private syncWaiters: Array<(synced: boolean) => void> = [];

  constructor(private readonly opts: InformerOptions<T>) {
    this.name = opts.name;
    this.clock = opts.clock ?? realClock;
    this.log = opts.logger ?? createLogger(`informer:${opts.name}`);
    this.relistDelayMs = opts.relistDelayMs ?? 1000;
    const indexers = { ...defaultIndexers(), ...(opts.indexers ?? {}) };
    for (const [name, fn] of Object.entries(indexers)) {
      this.cache.addIndexer(name, fn as IndexFunc<T>);
    }
  }

  /** Returns a function that removes the handlers again (a controller that stops). */
  addEventHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.push(handlers);
    // Late subscribers still see the world: replay the cache as adds, like client-go.
    for (const obj of this.cache.list()) handlers.onAdd?.(obj);
    return () => {
      const at = this.handlers.indexOf(handlers);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  /** Starts list+watch; resolves after the first list is in the cache, or once stopped. */
  async start(): Promise<void> {
    if (!this.running) {
      this.running = true;
      await this.listAndWatch();
    }
    await this.waitForSync();
  }

  /** Stops following; whoever still waits for the first sync is told it did not happen. */
  stop(): void {
    this.running = false;
    for (const settle of this.syncWaiters.splice(0)) settle(false);
    this.stopWatch?.();
    this.stopWatch = undefined;
    if (this.relistTimer !== undefined) this.clock.clearTimeout(this.relistTimer);
    this.relistTimer = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * True once the first list is in the cache; false when the informer is not running, is
   * stopped first, or `signal` aborts first (client-go's WaitForCacheSync), so a caller never
   * hangs on a list that will not come.
   */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (!this.running || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (synced: boolean): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      const onAbort = (): void => {
        const at = this.syncWaiters.indexOf(settle);
        if (at >= 0) this.syncWaiters.splice(at, 1);
        settle(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(settle);
    });
  }

  /** The newest revision this cache reflects. */
  get revision(): number {
    return this.lastRevision;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  getBy(namespace: string, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return this.cache.list();
  }

  keys(): string[] {
    return this.cache.keys();
  }

  byIndex(indexName: string, value: string): T[] {
    return this.cache.byIndex(indexName, value);
  }

  private async listAndWatch(): Promise<void> {
    let result;
    try {
      result = await this.opts.port.list();
    } catch (error) {
      this.log.warn({ err: error }, 'list failed; retrying');
      this.scheduleRelist();
      return;
    }
    if (!this.running) return;
    this.replace(result.items, result.revision);
    this.stopWatch = this.opts.port.watch(
      result.revision,
      (event) => this.onEvent(event),
      (error) => this.onWatchError(error),
    );
  }

  private onWatchError(error: unknown): void {
    if (!this.running) return;
    this.log.warn({ err: error, revision: this.lastRevision }, 'watch failed; re-listing');
    this.stopWatch?.();
    this.stopWatch = undefined;
    this.scheduleRelist();
  }

  private scheduleRelist(): void {
    if (!this.running || this.relistTimer !== undefined) return;
    this.relistTimer = this.clock.setTimeout(() => {
      this.relistTimer = undefined;
      void this.listAndWatch();
    }, this.relistDelayMs);
  }

  /** Swaps in a fresh list, telling handlers what changed since the cache was last right. */
  private replace(items: readonly T[], revision: number): void {
    const seen = new Set<string>();
    for (const item of items) {
      const obj = deepFreeze(item);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old !== undefined && revisionOf(old) === revisionOf(obj)) continue;
      this.cache.set(key, obj);
      if (old === undefined) this.emitAdd(obj);
      else this.emitUpdate(old, obj);
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.delete(key)!;
      this.emitDelete(old);
    }
    this.lastRevision = revision;
    if (!this.synced) {
      this.synced = true;
      for (const settle of this.syncWaiters.splice(0)) settle(true);
    }
  }

  private onEvent(event: WatchEvent<T>): void {
    if (!this.running || event.revision <= this.lastRevision) return;
    const obj = deepFreeze(event.object);
    const key = objectKey(obj);
    const old = this.cache.get(key);
    this.lastRevision = event.revision;
    if (old !== undefined && event.revision <= revisionOf(old)) return;
    if (event.type === 'DELETED') {
      if (old === undefined) return;
      this.cache.delete(key);
      this.emitDelete(obj);
      return;
    }
    this.cache.set(key, obj);
    if (old === undefined) this.emitAdd(obj);
    else this.emitUpdate(old, obj);
  }

  private emitAdd(obj: T): void {
    for (const h of this.handlers) this.safely(() => h.onAdd?.(obj));
  }

  private emitUpdate(old: T, obj: T): void {
    for (const h of this.handlers) this.safely(() => h.onUpdate?.(old, obj));
  }

  private emitDelete(obj: T): void {
    for (const h of this.handlers) this.safely(() => h.onDelete?.(obj));
  }

  /** A throwing handler must not break the cache or starve the other handlers. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error({ err: error }, 'event handler threw');
    }
  }
}
