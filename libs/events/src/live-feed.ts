import {
  AckPolicy,
  DeliverPolicy,
  nanos,
  type ConsumerMessages,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import type { StoreEvent } from '@bosun/store';
import { streamName } from './subjects';

const decoder = new TextDecoder();

export interface LiveFeedHandlers {
  readonly onEvent: (event: StoreEvent) => void;
  /** Called once when the feed can no longer be trusted to be complete. */
  readonly onBroken: (reason: string) => void;
}

/**
 * Step (a) of the watch: an ephemeral JetStream consumer on one filter subject with
 * DeliverPolicy.New. `open()` resolves only once the server has created the consumer, so every
 * message stored after that moment reaches `onEvent`, in stream order.
 *
 * Rather than let the client library silently recreate a consumer (the ordered consumer does that
 * from the last stream sequence, which is wrong after a stream is deleted and refilled), any doubt —
 * a skipped consumer sequence, missed heartbeats, the consumer or stream gone, a disconnect —
 * breaks the feed, and the watch redoes (a)-(c) from Postgres.
 */
export class LiveFeed {
  private broken = false;
  private closed = false;
  private delivered = 0;

  private constructor(
    private readonly messages: ConsumerMessages,
    private readonly handlers: LiveFeedHandlers,
    private readonly remove: () => Promise<unknown>,
  ) {}

  static async open(
    nc: NatsConnection,
    prefix: string,
    subject: string,
    handlers: LiveFeedHandlers,
    timeoutMs = 2_000,
  ): Promise<LiveFeed> {
    const stream = streamName(prefix);
    const jsm = await nc.jetstreamManager({ timeout: timeoutMs, checkAPI: false });
    const info = await jsm.consumers.add(stream, {
      deliver_policy: DeliverPolicy.New,
      ack_policy: AckPolicy.None,
      filter_subject: subject,
      inactive_threshold: nanos(30_000),
      mem_storage: true,
      num_replicas: 1,
    });
    const consumer = await nc.jetstream({ timeout: timeoutMs }).consumers.get(stream, info.name);
    const messages = await consumer.consume({
      max_messages: 512,
      idle_heartbeat: 1_000,
      expires: 10_000,
    });
    const feed = new LiveFeed(messages, handlers, () => jsm.consumers.delete(stream, info.name));
    feed.follow();
    return feed;
  }

  private follow(): void {
    void (async () => {
      for await (const s of await this.messages.status()) {
        // Debug events (pull bookkeeping) are harmless; every ConsumerEvents value means doubt.
        if (
          [
            'heartbeats_missed',
            'consumer_not_found',
            'stream_not_found',
            'consumer_deleted',
            'no_responders',
          ].includes(s.type)
        ) {
          this.break(`consumer status ${s.type}`);
        }
      }
    })().catch((e: unknown) => this.break(`status error: ${String(e)}`));
    void (async () => {
      for await (const m of this.messages) this.receive(m);
      this.break('consumer closed');
    })().catch((e: unknown) => this.break(`consumer error: ${String(e)}`));
  }

  private receive(m: JsMsg): void {
    if (this.broken) return;
    // With AckNone nothing is redelivered, so consumer sequences are contiguous: a jump is a loss.
    if (m.info.deliverySequence !== this.delivered + 1) {
      this.break(`consumer sequence jumped from ${this.delivered} to ${m.info.deliverySequence}`);
      return;
    }
    this.delivered = m.info.deliverySequence;
    let event: StoreEvent;
    try {
      event = JSON.parse(decoder.decode(m.data)) as StoreEvent;
    } catch {
      this.break(`undecodable message at stream sequence ${m.info.streamSequence}`);
      return;
    }
    this.handlers.onEvent(event);
  }

  break(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    this.handlers.onBroken(reason);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.broken = true;
    this.messages.stop();
    // Best effort: the server drops the ephemeral consumer after its inactive threshold anyway.
    this.remove().catch(() => undefined);
  }
}
