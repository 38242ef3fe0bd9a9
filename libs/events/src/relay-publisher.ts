import { headers, type JetStreamClient, type JetStreamPublishOptions, type PubAck } from 'nats';
import type { StoreEvent } from '@bosun/store';
import { REVISION_HEADER } from './stream';
import { eventSubject } from './subjects';

const encoder = new TextEncoder();

/** What the stream must end with before a publish: its last message id or its last sequence. */
export type StreamTail = NonNullable<Partial<JetStreamPublishOptions>['expect']>;

/**
 * Publishes one batch of events pipelined on one connection. Order stays strict because every
 * message expects the previous one as the stream's last `Nats-Msg-Id`: if one fails, every later one
 * in the batch fails too, so the stream never holds a gap or a reordering; the caller re-syncs from
 * the stream after any error. `Nats-Msg-Id` = revision makes a competing relay's copy a duplicate.
 *
 * Resolves with the id the stream now ends with; rejects with the first error.
 */
export async function publishBatch(
  js: JetStreamClient,
  prefix: string,
  events: readonly StoreEvent[],
  first: StreamTail,
  timeoutMs = 5_000,
): Promise<string> {
  let expect: StreamTail = first;
  let last = '';
  const pending: Promise<PubAck>[] = [];
  for (const event of events) {
    const id = String(event.revision);
    const h = headers();
    h.set(REVISION_HEADER, id);
    pending.push(
      js.publish(eventSubject(prefix, event.key), encoder.encode(JSON.stringify(event)), {
        msgID: id,
        headers: h,
        timeout: timeoutMs,
        expect,
      }),
    );
    expect = { lastMsgID: id };
    last = id;
  }
  const results = await Promise.allSettled(pending);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return last;
}
