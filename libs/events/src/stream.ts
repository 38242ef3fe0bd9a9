import {
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsError,
} from 'nats';
import { allEventsSubject, streamName } from './subjects';

/** Limits of the event stream. NATS only delivers; Postgres keeps the history (I4). */
export interface StreamLimits {
  /** Oldest message kept (default 24 h). */
  readonly maxAgeMs?: number;
  /**
   * Largest stream size in bytes (default unlimited: the age limit bounds it). nats-server
   * reserves this amount against its JetStream storage when the stream is created, so a large
   * default would exhaust a shared server after a few streams.
   */
  readonly maxBytes?: number;
  /** How long a `Nats-Msg-Id` is remembered for de-duplication (default 2 min). */
  readonly duplicateWindowMs?: number;
}

export const REVISION_HEADER = 'Bosun-Revision';

const STREAM_NOT_FOUND = 10059;

export function isStreamNotFound(e: unknown): boolean {
  const err = e as NatsError | undefined;
  return (
    err?.api_error?.err_code === STREAM_NOT_FOUND || /stream not found/i.test(String(err?.message))
  );
}

/** Creates the prefix's stream unless it exists (a config already in place is left alone). */
export async function ensureStream(
  jsm: JetStreamManager,
  prefix: string,
  limits: StreamLimits = {},
): Promise<void> {
  const name = streamName(prefix);
  try {
    await jsm.streams.info(name);
    return;
  } catch (e) {
    if (!isStreamNotFound(e)) throw e;
  }
  await jsm.streams.add({
    name,
    subjects: [allEventsSubject(prefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(limits.maxAgeMs ?? 24 * 3600_000),
    max_bytes: limits.maxBytes ?? -1,
    duplicate_window: nanos(limits.duplicateWindowMs ?? 120_000),
    num_replicas: 1,
  });
}

/** Deletes the prefix's stream (if any) and creates it empty: sequences and de-duplication reset. */
export async function recreateStream(
  jsm: JetStreamManager,
  prefix: string,
  limits: StreamLimits = {},
): Promise<void> {
  try {
    await jsm.streams.delete(streamName(prefix));
  } catch (e) {
    if (!isStreamNotFound(e)) throw e;
  }
  await ensureStream(jsm, prefix, limits);
}

export interface StreamEnd {
  /** Sequence of the stream's newest message (0 for a stream that never held one). */
  readonly lastSeq: number;
  /** Revision carried by that message; undefined when the stream holds no message. */
  readonly lastRevision?: number;
}

/** Where the stream ends: what a publisher resumes after and what it must expect. */
export async function readStreamEnd(jsm: JetStreamManager, prefix: string): Promise<StreamEnd> {
  const name = streamName(prefix);
  const info = await jsm.streams.info(name);
  if (info.state.messages === 0) return { lastSeq: info.state.last_seq };
  const msg = await jsm.streams.getMessage(name, { seq: info.state.last_seq });
  const rev = Number(msg.header.get(REVISION_HEADER));
  if (!Number.isSafeInteger(rev) || rev <= 0) {
    throw new Error(`stream ${name} message ${info.state.last_seq} carries no ${REVISION_HEADER}`);
  }
  return { lastSeq: info.state.last_seq, lastRevision: rev };
}
