import { createLogger, isBosunError, ErrorCode, type Logger } from '@bosun/common';
import type { Coordination, EventLog, LeadershipLease, StoreEvent } from '@bosun/store';
import type { JetStreamManager, NatsConnection } from 'nats';
import { Backoff, connectNats } from './nats-connection';
import { publishBatch, type StreamTail } from './relay-publisher';
import {
  ensureStream,
  readStreamEnd,
  recreateStream,
  type StreamEnd,
  type StreamLimits,
} from './stream';
import { DEFAULT_PREFIX } from './subjects';
import { Wakeup } from './wakeup';

export const RELAY_LEADERSHIP = 'relay';
export const RELAY_CHECKPOINT = 'relay';

/**
 * What the relay needs of the store: the log it publishes, and — unlike a watch — `Coordination`,
 * because exactly one relay may publish cluster-wide (leadership) and it must know where it left
 * off when the stream is lost (the `relay` checkpoint).
 */
export type RelayStore = EventLog & Coordination;

export interface RelayOptions {
  readonly store: RelayStore;
  readonly natsUrl: string;
  readonly prefix?: string;
  readonly logger?: Logger;
  readonly stream?: StreamLimits;
  /** Most events read and published at once (default 500). */
  readonly batchSize?: number;
  /** Safety-net poll of the log when no commit hint comes (default 500 ms). */
  readonly pollMs?: number;
  /** How often a follower asks for the leadership again (default 1 s). */
  readonly leaderRetryMs?: number;
  /** How often the published revision is saved as the checkpoint (default 1 s). */
  readonly checkpointEveryMs?: number;
}

export interface Relay {
  /** Stops publishing, saves the checkpoint, gives up the leadership and closes the connection. */
  stop(): Promise<void>;
  /** The newest revision this relay knows the stream holds (0 before it ever led). */
  lastPublished(): number;
  isLeader(): boolean;
}

/**
 * Publishes the store's log to JetStream, one relay at a time cluster-wide (I4: NATS only
 * delivers; writes never wait for it). Never throws: every failure is logged and retried.
 */
export function startRelay(opts: RelayOptions): Relay {
  const relay = new RelayLoop(opts);
  relay.start();
  return relay;
}

class RelayLoop implements Relay {
  private readonly store: RelayStore;
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly wakeup = new Wakeup();
  private readonly backoff = new Backoff(100, 2_000);
  private stopped = false;
  private leaseLost = false;
  private leading = false;
  private published = 0;
  /** Newest revision a commit hint announced, and how many hints came. */
  private hinted = 0;
  private hints = 0;
  /** Bumped at every re-sync, so a stale batch's late acknowledgement changes nothing. */
  private term = 0;
  private checkpointed = 0;
  private lastCheckpointAt = 0;
  private nc?: NatsConnection;
  private loop?: Promise<void>;
  private stopping?: Promise<void>;
  private checkpointing?: Promise<void>;
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly opts: RelayOptions) {
    this.store = opts.store;
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    this.log = (opts.logger ?? createLogger('relay')).child({ prefix: this.prefix });
  }

  start(): void {
    this.loop = this.run().catch((e) => this.log.error({ err: e }, 'relay loop ended by a bug'));
  }

  lastPublished(): number {
    return this.published;
  }

  isLeader(): boolean {
    return this.leading;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.wakeup.wake();
      await this.loop;
      await this.unsubscribe?.().catch(() => undefined);
      await this.nc?.close().catch(() => undefined);
    })();
    return this.stopping;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const lease = await this.store.tryLeadership(RELAY_LEADERSHIP).catch((e: unknown) => {
        this.log.warn({ err: e }, 'cannot ask for the relay leadership');
        return undefined;
      });
      if (!lease) {
        await this.wakeup.wait(this.opts.leaderRetryMs ?? 1_000);
        continue;
      }
      await this.lead(lease);
      // A lease lost to a dropped session: step back one period so a healthy follower wins.
      if (this.leaseLost) await this.stepBack(this.opts.leaderRetryMs ?? 1_000);
    }
  }

  /** Waits `ms` whatever commit hints arrive (they wake the shared Wakeup); only stop() ends it. */
  private async stepBack(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) await this.wakeup.wait(until - Date.now());
  }

  private async lead(lease: LeadershipLease): Promise<void> {
    this.leading = true;
    this.leaseLost = false;
    void lease.lost.then(() => {
      this.leaseLost = true;
      this.wakeup.wake();
    });
    this.log.info('relay leadership won');
    await this.subscribeHints();
    while (!this.stopped && !this.leaseLost) {
      try {
        await this.publishFromStreamEnd();
      } catch (e) {
        const wait = this.backoff.next();
        this.log.warn({ err: e, retryInMs: wait, lastPublished: this.published }, 'relay re-syncs');
        await this.wakeup.wait(wait);
      }
    }
    this.leading = false;
    await this.checkpointing;
    if (!this.leaseLost) await this.saveCheckpoint(true);
    await lease.release().catch(() => undefined);
    this.log.info(
      { lastPublished: this.published, lost: this.leaseLost },
      'relay leadership ended',
    );
  }

  private async subscribeHints(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.store
      .onCommit((revision) => {
        this.hinted = Math.max(this.hinted, revision);
        this.hints++;
        this.wakeup.wake();
      })
      .catch((e: unknown) => {
        // The poll still covers it; the next leadership term tries again.
        this.log.warn({ err: e }, 'no commit hints; polling only');
        return undefined;
      });
  }

  /** One publishing term: find where the stream ends, then follow the log until an error. */
  private async publishFromStreamEnd(): Promise<void> {
    if (this.nc?.isClosed()) this.nc = undefined;
    this.nc ??= await connectNats(this.opts.natsUrl, 'bosun-relay');
    const jsm = await this.nc.jetstreamManager({ timeout: 2_000 });
    const js = this.nc.jetstream({ timeout: 2_000 });
    await ensureStream(jsm, this.prefix, this.opts.stream);
    const head = await this.store.currentRevision();
    const end = await this.streamEndWithin(jsm, head);
    let tail: StreamTail =
      end.lastRevision === undefined
        ? { lastSequence: end.lastSeq }
        : { lastMsgID: String(end.lastRevision) };
    let after = end.lastRevision ?? (await this.resumeWithoutStream(head));
    this.published = after;
    this.checkpointed = Math.min(this.checkpointed, after);
    const term = ++this.term;
    this.log.info({ after, head }, 'relay publishes');
    const batch = this.opts.batchSize ?? 500;
    // Two batches in flight at most: the next read overlaps the previous batch's acknowledgements.
    let inflight: Promise<void> = Promise.resolve();
    while (!this.stopped && !this.leaseLost) {
      const hintsBefore = this.hints;
      const { events, skipTo } = await this.readAfter(after, batch);
      if (skipTo !== undefined) after = skipTo;
      if (events.length > 0) {
        // Writers are never blocked by this: publishing only reads the log (I4).
        const last = events[events.length - 1].revision;
        const acked = publishBatch(js, this.prefix, events, tail, 2_000).then(() => {
          if (term !== this.term) return;
          this.published = Math.max(this.published, last);
          this.backoff.reset();
        });
        acked.catch(() => undefined); // awaited below, one batch later
        tail = { lastMsgID: String(last) };
        after = last;
        await inflight;
        inflight = acked;
      } else await inflight;
      // In the background: a checkpoint write must not delay the next publish.
      this.checkpointing ??= this.saveCheckpoint(false).finally(
        () => (this.checkpointing = undefined),
      );
      // A full batch means more is waiting; otherwise sleep until a commit hint or the poll.
      if (events.length < batch && skipTo === undefined) await this.waitForNews(hintsBefore, after);
    }
    await inflight;
  }

  /**
   * Sleeps until a hint arrived since the last read began that announces a revision above `after`
   * (hints for what was just read are ignored: no empty re-read), or until the poll period ends.
   */
  private async waitForNews(hintsBefore: number, after: number): Promise<void> {
    const deadline = Date.now() + (this.opts.pollMs ?? 500);
    while (!this.stopped && !this.leaseLost) {
      if (this.hints !== hintsBefore && this.hinted > after) return;
      const left = deadline - Date.now();
      if (left <= 0) return;
      hintsBefore = this.hints;
      await this.wakeup.wait(left);
    }
  }

  /** Events after `after`; when those were compacted away, says where the log now starts. */
  private async readAfter(
    after: number,
    limit: number,
  ): Promise<{ events: readonly StoreEvent[]; skipTo?: number }> {
    try {
      return { events: await this.store.readEvents(after, {}, limit) };
    } catch (e) {
      if (!isBosunError(e, ErrorCode.Gone)) throw e;
      const compacted = await this.store.compactedRevision();
      this.log.error(
        { after, compacted },
        'relay resume point was compacted; skipping to the horizon',
      );
      return { events: [], skipTo: compacted };
    }
  }

  /**
   * Where the stream ends, provided that is not past the log's head. A stream ahead of the log
   * (Postgres restored from a backup, or a lossy failover) carries revisions the log will reuse for
   * other changes: resuming after them would never publish those (I3, I4). It is deleted and
   * created again — not purged: a purge keeps the `Nats-Msg-Id` de-duplication window, which would
   * swallow the republished revisions — and the log is published into it afresh. Live feeds see
   * the stream vanish and redo their watch from Postgres.
   */
  private async streamEndWithin(jsm: JetStreamManager, head: number): Promise<StreamEnd> {
    const end = await readStreamEnd(jsm, this.prefix);
    if (end.lastRevision === undefined || end.lastRevision <= head) return end;
    this.log.error(
      { streamEnd: end.lastRevision, head },
      'the stream is ahead of the log (restored database?): re-creating it and republishing the log',
    );
    await recreateStream(jsm, this.prefix, this.opts.stream);
    return readStreamEnd(jsm, this.prefix);
  }

  /** Resume point without a stream: the checkpoint, unless a restore left it past the head. */
  private async resumeWithoutStream(head: number): Promise<number> {
    const checkpoint = await this.store.getCheckpoint(RELAY_CHECKPOINT);
    if (checkpoint !== undefined && checkpoint <= head) return checkpoint;
    if (checkpoint !== undefined)
      this.log.error(
        { checkpoint, head },
        'the relay checkpoint is ahead of the log (restored database?): republishing from the compaction horizon',
      );
    return this.store.compactedRevision();
  }

  private async saveCheckpoint(force: boolean): Promise<void> {
    const every = this.opts.checkpointEveryMs ?? 1_000;
    if (this.published <= this.checkpointed) return;
    if (!force && Date.now() - this.lastCheckpointAt < every) return;
    const revision = this.published;
    this.lastCheckpointAt = Date.now();
    try {
      await this.store.setCheckpoint(RELAY_CHECKPOINT, revision);
      this.checkpointed = Math.max(this.checkpointed, revision);
    } catch (e) {
      this.log.warn({ err: e }, 'cannot save the relay checkpoint');
    }
  }
}
