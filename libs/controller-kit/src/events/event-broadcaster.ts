import { createLogger, ErrorCode, isBosunError, type Logger } from '@bosun/common';
import { realClock, type Clock } from '../clock';
import { buildEvent, referenceTo } from './event-builder';
import { EventCorrelator, type EventCorrelatorOptions } from './event-correlator';
import { EventSink, type EventSinkOptions } from './event-sink';
import type { CoreEvent, EventPatch, EventSource, EventType, ObjectReference } from './core-event';

/** Where Events are written: the api-server's core/v1 events (or a fake). */
export interface EventPort {
  create(event: CoreEvent): Promise<unknown>;
  /** Merge-patches count, lastTimestamp and message of an existing Event; NotFound when gone. */
  patch(namespace: string, name: string, patch: EventPatch): Promise<unknown>;
}

/** An object (its reference is taken from its metadata) or a reference to one. */
export type EventSubject =
  | ObjectReference
  | {
      readonly apiVersion?: string;
      readonly kind?: string;
      readonly metadata: {
        name?: string;
        namespace?: string;
        uid?: string;
        resourceVersion?: string;
      };
    };

export interface EventDetails {
  /** core/v1 `action`, e.g. kube-scheduler's `Binding`. */
  readonly action?: string;
}

/** client-go's EventRecorder: best effort, never fails or slows the caller. */
export interface EventRecorder {
  event(
    about: EventSubject,
    type: EventType,
    reason: string,
    message: string,
    details?: EventDetails,
  ): void;
}

export interface EventBroadcasterOptions extends EventSinkOptions {
  readonly port: EventPort;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly correlation?: Omit<EventCorrelatorOptions, 'clock'>;
}

const referenceOf = (about: EventSubject): ObjectReference =>
  'metadata' in about ? referenceTo(about) : about;

/**
 * One per process, like client-go's EventBroadcaster: recorders for each component build Events
 * with the one builder, the correlator turns repeats into count bumps (and drops spam), and the
 * sink writes in the background. Writes of one Event key are chained so a patch never overtakes
 * the create it bumps.
 */
export class EventBroadcaster {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly correlator: EventCorrelator;
  private readonly sink: EventSink;
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly opts: EventBroadcasterOptions) {
    this.clock = opts.clock ?? realClock;
    this.log = opts.logger ?? createLogger('events');
    this.correlator = new EventCorrelator({ ...opts.correlation, clock: this.clock });
    this.sink = new EventSink(this.log, opts);
  }

  /** A recorder writing as `source` (component, and host for node components). */
  recorder(source: EventSource, instance?: string): EventRecorder {
    return {
      event: (about, type, reason, message, details = {}) => {
        const involvedObject = referenceOf(about);
        const input = { involvedObject, type, reason, message, action: details.action };
        this.record(buildEvent(input, { source, instance }, this.clock.now()));
      },
    };
  }

  /** Events dropped because the buffer was full. */
  get dropped(): number {
    return this.sink.dropped;
  }

  /** Resolves once every queued Event was written (or failed). */
  drained(): Promise<void> {
    return this.sink.drained();
  }

  private record(fresh: CoreEvent): void {
    const correlation = this.correlator.correlate(fresh);
    if (correlation.action === 'drop') {
      this.log.debug({ reason: fresh.reason, object: fresh.involvedObject.name }, 'event spam');
      return;
    }
    const { key, event } = correlation;
    const patch = correlation.action === 'patch' ? correlation.patch : undefined;
    this.sink.record(() => {
      const previous = this.chains.get(key) ?? Promise.resolve();
      const write = previous.then(() => this.write(event, patch));
      const tail = write.catch(() => undefined);
      this.chains.set(key, tail);
      void tail.then(() => {
        if (this.chains.get(key) === tail) this.chains.delete(key);
      });
      return write;
    });
  }

  private async write(event: CoreEvent, patch: EventPatch | undefined): Promise<void> {
    const { port } = this.opts;
    if (patch === undefined) {
      await port.create(event);
      return;
    }
    try {
      await port.patch(event.metadata.namespace, event.metadata.name, patch);
    } catch (error) {
      // Expired or deleted meanwhile: write it again, count and all (as client-go does).
      if (!isBosunError(error, ErrorCode.NotFound)) throw error;
      await port.create(event);
    }
  }
}
