import type { Logger } from '@bosun/common';
import { tooLargeResourceVersion, type EventLog, type Filter, type StoreEvent } from '@bosun/store';

/** One watcher's sink: events in revision order, exactly once. */
export interface WatchSink {
  readonly matches: (e: StoreEvent) => boolean;
  push(e: StoreEvent): void;
  /** The hub failed (e.g. the store closed); the watcher must end. */
  fail(e: unknown): void;
}

const PAGE = 500;

export interface WatchHubOptions {
  /**
   * Period of the safety-net read (default 1 s): a commit notification lost (a half-open LISTEN
   * connection) or a failed read is made good without waiting for the next commit.
   */
  readonly pollMs?: number;
  /**
   * How long a request for a revision past the head waits for it before answering "Too large
   * resource version" (default 3 s, as kube-apiserver's watch cache).
   */
  readonly freshWaitMs?: number;
}

/**
 * Fans the store's log out to every watch of this api-server through ONE reader: commits are
 * signalled by `store.onCommit`, the reader follows `readEvents` from its last revision, and each
 * event is offered to every registered watcher. A watcher that starts behind the head catches up
 * with its own filtered reads first (see `follow`), so no event is lost or repeated at the seam.
 * A timer reads too (`pollMs`), so a lost notification or a failed read delays, never stalls.
 * One sink throwing is failed and dropped alone; the others still get the event.
 */
export class WatchHub {
  private readonly sinks = new Set<WatchSink>();
  private head = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private closed = false;
  private waiters: { readonly revision: number; readonly done: (ok: boolean) => void }[] = [];
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventLog,
    private readonly log: Logger,
    private readonly options: WatchHubOptions = {},
  ) {}

  async start(): Promise<void> {
    this.head = await this.store.currentRevision();
    this.unsubscribe = await this.store.onCommit(() => this.poke());
    this.poll = setInterval(() => this.poke(), this.options.pollMs ?? 1_000);
    this.poll.unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    await this.unsubscribe?.();
    await this.reading?.catch(() => undefined);
    for (const s of this.sinks) s.fail(new Error('api-server shutting down'));
    this.sinks.clear();
    for (const w of this.waiters.splice(0)) w.done(false);
  }

  /** The newest revision every registered sink has been offered. */
  get revision(): number {
    return this.head;
  }

  /**
   * Resolves true once every event up to `revision` has been offered to the live sinks (false
   * after `timeoutMs`, or when the hub stops first).
   */
  reached(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.head >= revision) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        revision,
        done: (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
      this.poke();
    });
  }

  /**
   * Waits until the log holds `revision` (at most `freshWaitMs`); past that, a 504 "Too large
   * resource version" with a retry hint, as kube-apiserver answers. A client holding a revision
   * from a newer log (a restored database) must not silently skip the revisions reused here.
   */
  async awaitRevision(revision: number): Promise<void> {
    if (await this.reached(revision, this.options.freshWaitMs ?? 3_000)) return;
    // The hub may only lag (a failed read); the log's own head decides.
    const current = await this.store.currentRevision();
    if (revision > current) throw tooLargeResourceVersion(revision, current);
  }

  get watcherCount(): number {
    return this.sinks.size;
  }

  /** Wakes the reader; called on every commit notification (and by writers of this process). */
  poke(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.drain().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const events = await this.store.readEvents(this.head, undefined, PAGE);
        for (const e of events) {
          this.head = e.revision;
          for (const s of this.sinks) this.offer(s, e);
        }
        if (this.waiters.length > 0) this.wakeWaiters();
        if (events.length < PAGE) return;
      }
    } catch (e) {
      if (!this.closed)
        this.log.warn(
          { err: e, head: this.head },
          'watch hub read failed; retrying on the next commit or poll',
        );
    }
  }

  /** Gives `e` to one sink; a sink that throws is failed and dropped, the others carry on. */
  private offer(s: WatchSink, e: StoreEvent): void {
    try {
      if (s.matches(e)) s.push(e);
    } catch (err) {
      this.sinks.delete(s);
      this.log.warn({ err, revision: e.revision }, 'a watcher failed on an event; ending it');
      try {
        s.fail(err);
      } catch (failErr) {
        this.log.warn({ err: failErr }, 'a failing watcher threw again while ending');
      }
    }
  }

  private wakeWaiters(): void {
    const ready = this.waiters.filter((w) => w.revision <= this.head);
    this.waiters = this.waiters.filter((w) => w.revision > this.head);
    for (const w of ready) w.done(true);
  }

  /**
   * Registers `sink` and delivers every matching event with revision > `from`: first the backlog
   * (its own reads), then live events from the hub. Returns the unregister function.
   */
  async follow(from: number, filter: Filter, sink: WatchSink): Promise<() => void> {
    const buffered: StoreEvent[] = [];
    let live = false;
    let last = from;
    const gate: WatchSink = {
      matches: sink.matches,
      fail: (e) => sink.fail(e),
      push: (e) => {
        if (!live) buffered.push(e);
        else if (e.revision > last) {
          last = e.revision;
          sink.push(e);
        }
      },
    };
    this.sinks.add(gate);
    const unregister = (): void => void this.sinks.delete(gate);
    try {
      for (;;) {
        const page = await this.store.readEvents(last, filter, PAGE);
        for (const e of page) {
          if (sink.matches(e)) sink.push(e);
          last = e.revision;
        }
        if (page.length < PAGE) break;
      }
    } catch (e) {
      unregister();
      throw e;
    }
    for (const e of buffered) {
      if (e.revision > last) {
        last = e.revision;
        sink.push(e);
      }
    }
    live = true;
    return unregister;
  }
}
