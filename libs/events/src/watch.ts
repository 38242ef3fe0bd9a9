import { BosunError, createLogger, ErrorCode, isBosunError, type Logger } from '@bosun/common';
import type { EventLog, Filter, StoreEvent } from '@bosun/store';
import type { NatsConnection, QueuedIterator, Status } from 'nats';
import { LiveFeed } from './live-feed';
import { connectNats } from './nats-connection';
import { eventPredicate, type EventPredicate } from './selectors';
import { DEFAULT_PREFIX, filterSubject } from './subjects';
import { Wakeup } from './wakeup';

export interface WatchOptions {
  /** The log to follow (the store's `EventLog` part is all a watch reads). */
  readonly store: EventLog;
  /** NATS to follow; ignored when `connection` is given. */
  readonly natsUrl: string;
  /**
   * A connection to share among many watches (an API server's): the watch never closes it. It
   * should reconnect forever, as `connectNats()` configures it.
   */
  readonly connection?: NatsConnection;
  readonly prefix?: string;
  /** Deliver every matching event with a revision above this one. */
  readonly from: number;
  readonly filter?: Filter;
  /** Called once per event, in revision order; the next call waits for a returned promise. */
  readonly onEvent: (event: StoreEvent) => void | Promise<void>;
  /**
   * The watch ended on its own: Gone (`from` or the resume point was compacted) or an error thrown
   * by `onEvent`. Not called after `stop()`. (A malformed selector makes `watch()` itself throw.)
   */
  readonly onError?: (error: BosunError) => void;
  readonly logger?: Logger;
  /** Most events one Postgres read returns (default 500). */
  readonly batchSize?: number;
  /** Postgres poll period while NATS is unusable (default 150 ms). */
  readonly pollMs?: number;
  /** How often NATS is tried again while polling (default 1 s). */
  readonly natsRetryMs?: number;
  /** In live mode, how long a commit hint may go unanswered before Postgres is asked (default 1 s). */
  readonly stallMs?: number;
}

export interface Watch {
  /** Stops delivery; resolves once no `onEvent` call is running any more. */
  stop(): Promise<void>;
  /** The revision of the last event delivered (`from` before the first); a resume point. */
  lastRevision(): number;
  /** True while events come from NATS, false while the watch polls Postgres. */
  isLive(): boolean;
  /** How many events came from each path, and how often the live feed was rebuilt. */
  stats(): WatchStats;
  /** Resolves when the watch has ended, by `stop()` or by an error passed to `onError`. */
  readonly done: Promise<void>;
}

export interface WatchStats {
  readonly fromNats: number;
  readonly fromLog: number;
  readonly feedsOpened: number;
  readonly feedsBroken: number;
}

/** One attempt at step (a): a feed and the buffer it fills. */
interface FeedState {
  feed?: LiveFeed;
  readonly buffer: StoreEvent[];
  /** Newest revision the feed carried (on its subject, before in-memory filtering). */
  maxRevision: number;
  settled: boolean;
  broken: boolean;
}

/**
 * Exactly-once, in-order delivery of the log (I3) over NATS, with Postgres as the truth (I4).
 *
 * Why it is exact: (a) a consumer on the filter subject with DeliverPolicy.New is created and what
 * it receives is buffered; (b) the log is read from Postgres after the last delivered revision
 * until exhausted. The relay publishes a revision only after reading it from the log, so everything
 * in the stream before (a) was committed — and visible — before (b) started; everything stored
 * after (a) is in the buffer, in revision order. (c) The buffer is drained, then the watch follows
 * the consumer live, delivering only revisions above the last delivered one (I7), so the overlap
 * between (b) and the buffer is delivered once. Either source alone is a complete ordered sequence
 * from its starting point, so interleaving them under that rule can neither skip nor repeat.
 *
 * On any doubt about the feed (NATS down, stream deleted, consumer lost, sequence gap) the watch
 * polls Postgres — every `pollMs` and on commit hints — while retrying NATS, then redoes (a)-(c).
 * A live watch whose commit hints go unanswered by NATS (relay down) also reads Postgres, so a
 * stalled relay delays delivery by about `stallMs` instead of stopping it.
 */
export function watch(opts: WatchOptions): Watch {
  return new WatchLoop(opts);
}

class WatchLoop implements Watch {
  readonly done: Promise<void>;
  private readonly log: Logger;
  private readonly wakeup = new Wakeup();
  private readonly matches: EventPredicate;
  private readonly subject: string;
  private last: number;
  private stopped = false;
  private state?: FeedState;
  private live = false;
  private nc?: NatsConnection;
  private stopStatus?: () => void;
  /** Newest revision a commit hint announced. */
  private hintRevision = 0;
  private unsubscribe?: () => Promise<void>;
  private counters = { fromNats: 0, fromLog: 0, feedsOpened: 0, feedsBroken: 0 };

  constructor(private readonly opts: WatchOptions) {
    this.last = opts.from;
    this.log = (opts.logger ?? createLogger('watch')).child({
      filter: opts.filter,
      from: opts.from,
    });
    this.matches = eventPredicate(opts.filter);
    this.subject = filterSubject(opts.prefix ?? DEFAULT_PREFIX, opts.filter);
    this.done = this.run();
  }

  lastRevision(): number {
    return this.last;
  }

  stats(): WatchStats {
    return { ...this.counters };
  }

  isLive(): boolean {
    return this.live;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      const compacted = await this.compactedRevision();
      if (compacted === undefined) return;
      if (this.last < compacted) {
        throw new BosunError(
          ErrorCode.Gone,
          `revision ${this.last} is compacted (horizon ${compacted})`,
          {
            context: { from: this.last, compacted },
          },
        );
      }
      await this.subscribeHints();
      while (!this.stopped) {
        if (this.state?.feed && this.state.settled) await this.followLive(this.state);
        else await this.pollUntilLive();
      }
    } catch (e) {
      if (!this.stopped) this.fail(e);
    } finally {
      this.live = false;
      this.state?.feed?.close();
      await this.unsubscribe?.().catch(() => undefined);
      this.stopStatus?.();
      if (!this.opts.connection) await this.nc?.close().catch(() => undefined);
    }
  }

  /** The compaction horizon, retried through store outages; undefined once stopped. */
  private async compactedRevision(): Promise<number | undefined> {
    for (let wait = 100; !this.stopped; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await this.opts.store.compactedRevision();
      } catch (e) {
        this.log.warn({ err: e }, 'watch cannot read the compaction horizon; retrying');
        await this.wakeup.wait(wait);
      }
    }
    return undefined;
  }

  private fail(e: unknown): void {
    const err = isBosunError(e)
      ? e
      : new BosunError(ErrorCode.Internal, `watch failed: ${String(e)}`, { cause: e });
    this.log.warn({ err, last: this.last }, 'watch ended');
    this.opts.onError?.(err);
  }

  private async subscribeHints(): Promise<void> {
    this.unsubscribe = await this.opts.store
      .onCommit((revision) => {
        this.hintRevision = Math.max(this.hintRevision, revision);
        this.wakeup.wake();
      })
      .catch((e: unknown) => {
        this.log.warn({ err: e }, 'no commit hints; polling only');
        return undefined;
      });
  }

  /** Postgres only, while step (a) is retried in the background; then (b) and on to live. */
  private async pollUntilLive(): Promise<void> {
    let attemptAt = 0;
    while (!this.stopped) {
      if (!this.state && Date.now() - attemptAt >= (this.opts.natsRetryMs ?? 1_000)) {
        attemptAt = Date.now();
        this.state = this.openFeed();
      }
      await this.catchUp();
      const s = this.state;
      if (s?.settled) {
        // Step (b), strictly after the consumer exists; live only once the log read is exhausted.
        if (s.feed && !s.broken && (await this.catchUp()) && !s.broken) {
          this.live = true;
          this.log.debug({ last: this.last }, 'watch is live');
          return;
        }
        s.feed?.close();
        this.state = undefined;
      }
      await this.wakeup.wait(this.opts.pollMs ?? 150);
    }
  }

  private openFeed(): FeedState {
    const state: FeedState = { buffer: [], maxRevision: 0, settled: false, broken: false };
    const prefix = this.opts.prefix ?? DEFAULT_PREFIX;
    void (async () => {
      try {
        const nc = await this.connection();
        state.feed = await LiveFeed.open(nc, prefix, this.subject, {
          onEvent: (e) => {
            state.buffer.push(e);
            state.maxRevision = Math.max(state.maxRevision, e.revision);
            this.wakeup.wake();
          },
          onBroken: (reason) => {
            state.broken = true;
            this.counters.feedsBroken++;
            this.log.info({ reason, last: this.last }, 'watch feed broken; polling Postgres');
            this.wakeup.wake();
          },
        });
        this.counters.feedsOpened++;
        if (this.stopped) state.feed.close();
      } catch (e) {
        this.log.debug({ err: e }, 'NATS feed not available yet');
      } finally {
        state.settled = true;
        this.wakeup.wake();
      }
    })();
    return state;
  }

  private async connection(): Promise<NatsConnection> {
    if (this.nc && !this.nc.isClosed()) return this.nc;
    const shared = this.opts.connection;
    const nc = shared ?? (await connectNats(this.opts.natsUrl, 'bosun-watch'));
    if (this.stopped) {
      if (!shared) await nc.close();
      throw new Error('watch stopped');
    }
    this.nc = nc;
    const status = nc.status() as QueuedIterator<Status>;
    this.stopStatus = () => status.stop();
    void (async () => {
      // Messages in flight during a disconnect may be lost to the feed: redo (a)-(c).
      for await (const s of status) {
        if (s.type === 'disconnect' || s.type === 'reconnect')
          this.state?.feed?.break(`nats ${s.type}`);
      }
    })().catch(() => undefined);
    return nc;
  }

  /**
   * Step (c) and after: drain the buffer, then deliver live until the feed is in doubt. Every
   * `stallMs` it checks that the feed reached the revision a hint announced one period earlier; if
   * not (relay down, or nothing on this subject), it reads Postgres once — a cheap safety net.
   */
  private async followLive(state: FeedState): Promise<void> {
    const stallMs = this.opts.stallMs ?? 1_000;
    let checkedAt = Date.now();
    let probe = this.hintRevision;
    while (!this.stopped) {
      await this.drain(state);
      if (state.broken) break;
      if (Date.now() - checkedAt >= stallMs) {
        if (Math.max(state.maxRevision, this.last) < probe) await this.catchUp();
        probe = this.hintRevision;
        checkedAt = Date.now();
      }
      await this.wakeup.wait(stallMs);
    }
    this.live = false;
    state.feed?.close();
    this.state = undefined;
  }

  private async drain(state: FeedState): Promise<void> {
    while (state.buffer.length > 0 && !this.stopped) {
      const batch = state.buffer.splice(0, state.buffer.length);
      for (const e of batch) {
        if (this.stopped) return;
        if (this.matches(e) && (await this.deliver(e))) this.counters.fromNats++;
      }
    }
  }

  /**
   * Postgres: everything matching after the last delivered revision, until exhausted. True when
   * exhausted; false when the store failed transiently (the caller retries). Gone, a bad filter and
   * handler failures end the watch.
   */
  private async catchUp(): Promise<boolean> {
    const limit = this.opts.batchSize ?? 500;
    try {
      for (;;) {
        const events = await this.opts.store.readEvents(this.last, this.opts.filter ?? {}, limit);
        for (const e of events) {
          if (this.stopped) return false;
          if (await this.deliver(e)) this.counters.fromLog++;
        }
        if (events.length < limit) return true;
        if (this.stopped) return false;
      }
    } catch (e) {
      if (e instanceof HandlerError || !isTransient(e)) throw e;
      this.log.warn({ err: e, last: this.last }, 'watch cannot read the log; retrying');
      return false;
    }
  }

  /** Delivers unless already delivered (I7); true when delivered. */
  private async deliver(e: StoreEvent): Promise<boolean> {
    if (e.revision <= this.last) return false;
    try {
      await this.opts.onEvent(e);
    } catch (err) {
      throw new HandlerError(`watch handler failed at revision ${e.revision}`, {
        cause: err,
        context: { revision: e.revision },
      });
    }
    this.last = e.revision;
    return true;
  }
}

/** An error thrown by the caller's `onEvent`: it ends the watch rather than being retried. */
class HandlerError extends BosunError {
  constructor(message: string, options: { cause: unknown; context: Record<string, unknown> }) {
    super(ErrorCode.Internal, message, options);
  }
}

const TERMINAL: readonly string[] = [ErrorCode.Gone, ErrorCode.BadRequest, ErrorCode.Invalid];

/** Store errors worth retrying: anything but Gone and a bad filter (a dropped connection, mostly). */
function isTransient(e: unknown): boolean {
  return !(isBosunError(e) && TERMINAL.includes(e.code));
}
