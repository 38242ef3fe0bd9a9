import type { Clock } from '../clock';
import { formatTime } from '../kube-time';
import type { CoreEvent, EventPatch } from './core-event';

export interface EventCorrelatorOptions {
  readonly clock: Clock;
  /** Window in which repeats are counted on one Event and similar ones combined (default 10 min). */
  readonly windowMs?: number;
  /** Similar events (same object and reason, other messages) before they are combined (10). */
  readonly maxSimilar?: number;
  /** Events one source may write about one object at once (default 25)... */
  readonly spamBurst?: number;
  /** ...then one more per this many ms (default 5 min). */
  readonly spamRefillMs?: number;
  /** Most keys remembered per cache before the oldest is forgotten (default 4096). */
  readonly maxKeys?: number;
}

/** What to do with an Event: drop it, create it, or patch the existing one it repeats. */
export type Correlation =
  | { readonly action: 'drop' }
  | { readonly action: 'create'; readonly event: CoreEvent; readonly key: string }
  | {
      readonly action: 'patch';
      readonly event: CoreEvent;
      readonly patch: EventPatch;
      readonly key: string;
    };

interface Observation {
  count: number;
  firstTimestamp: string;
  name: string;
  lastSeen: number;
}

const join = (parts: readonly (string | undefined)[]): string =>
  parts.map((p) => p ?? '').join('\u0000');

/** Who wrote about which object: the start of every key below. */
function about(e: CoreEvent): (string | undefined)[] {
  const o = e.involvedObject;
  return [e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion];
}

/** The fields that make two Events the same occurrence (client-go's getEventKey). */
const eventKey = (e: CoreEvent): string =>
  join([...about(e), e.involvedObject.fieldPath, e.type, e.reason, e.message]);

/** Events about the same object and reason, whatever the message (EventAggregatorByReasonFunc). */
const aggregateKey = (e: CoreEvent): string =>
  join([...about(e), e.type, e.reason, e.reportingComponent, e.reportingInstance]);

/** One source about one object (client-go's getSpamKey). */
const spamKey = (e: CoreEvent): string => join([...about(e), e.type]);

/** A Map that forgets its least recently used key past `max` (client-go's LRU caches). */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * client-go's EventCorrelator, so a hot loop cannot flood the api-server with Events:
 * - spam filter: a token bucket per source and object (25 at once, then one per 5 minutes);
 * - aggregation: past 10 Events about one object and reason with different messages within
 *   10 minutes, they are combined into one "(combined from similar events): …" Event;
 * - deduplication: an Event equal to one written within 10 minutes is not written again; the
 *   existing Event's count goes up and its lastTimestamp moves (a patch).
 */
export class EventCorrelator {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly maxSimilar: number;
  private readonly spamBurst: number;
  private readonly spamRefillMs: number;
  private readonly buckets: Lru<{ tokens: number; at: number }>;
  private readonly similar: Lru<{ messages: Set<string>; lastSeen: number }>;
  private readonly observed: Lru<Observation>;

  constructor(opts: EventCorrelatorOptions) {
    this.clock = opts.clock;
    this.windowMs = opts.windowMs ?? 10 * 60_000;
    this.maxSimilar = opts.maxSimilar ?? 10;
    this.spamBurst = opts.spamBurst ?? 25;
    this.spamRefillMs = opts.spamRefillMs ?? 5 * 60_000;
    const maxKeys = opts.maxKeys ?? 4096;
    this.buckets = new Lru(maxKeys);
    this.similar = new Lru(maxKeys);
    this.observed = new Lru(maxKeys);
  }

  correlate(fresh: CoreEvent): Correlation {
    if (!this.takeToken(spamKey(fresh))) return { action: 'drop' };
    const { event, key } = this.aggregate(fresh);
    const now = this.clock.now();
    const last = this.observed.get(key);
    if (last === undefined || now - last.lastSeen > this.windowMs) {
      this.observe(key, event, now);
      return { action: 'create', event, key };
    }
    const repeated: CoreEvent = {
      ...event,
      metadata: { ...event.metadata, name: last.name },
      firstTimestamp: last.firstTimestamp,
      count: last.count + 1,
    };
    this.observe(key, repeated, now);
    const patch = {
      count: repeated.count,
      lastTimestamp: repeated.lastTimestamp,
      message: repeated.message,
    };
    return { action: 'patch', event: repeated, patch, key };
  }

  private observe(key: string, event: CoreEvent, now: number): void {
    this.observed.set(key, {
      count: event.count,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata.name,
      lastSeen: now,
    });
  }

  private takeToken(key: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.spamBurst, at: now };
    const refilled = Math.floor((now - bucket.at) / this.spamRefillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(this.spamBurst, bucket.tokens + refilled);
      bucket.at += refilled * this.spamRefillMs;
    }
    if (bucket.tokens >= this.spamBurst) bucket.at = now;
    const allowed = bucket.tokens > 0;
    if (allowed) bucket.tokens--;
    this.buckets.set(key, bucket);
    return allowed;
  }

  /** client-go's EventAggregate: the key to dedupe on, and a combined Event past the limit. */
  private aggregate(event: CoreEvent): { event: CoreEvent; key: string } {
    const now = this.clock.now();
    const aggKey = aggregateKey(event);
    let record = this.similar.get(aggKey);
    if (!record || now - record.lastSeen > this.windowMs)
      record = { messages: new Set(), lastSeen: now };
    record.messages.add(event.message);
    record.lastSeen = now;
    this.similar.set(aggKey, record);
    if (record.messages.size < this.maxSimilar) return { event, key: eventKey(event) };
    // Keep the set at the limit, so later messages still count as "many".
    record.messages.delete(record.messages.values().next().value as string);
    const stamp = formatTime(now);
    const combined: CoreEvent = {
      ...event,
      message: `(combined from similar events): ${event.message}`,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    };
    return { event: combined, key: aggKey };
  }
}
