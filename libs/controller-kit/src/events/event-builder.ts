import { randomInt } from 'node:crypto';
import { formatTime } from '../kube-time';
import type { CoreEvent, EventSource, EventType, ObjectReference } from './core-event';

export interface EventInput {
  readonly involvedObject: ObjectReference;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly action?: string;
}

export interface EventOrigin {
  readonly source: EventSource;
  /** `reportingInstance`: the replica or node writing it (default: the source host, else ''). */
  readonly instance?: string;
}

/**
 * Kubernetes names an Event `<object>.<UnixNano in hex>`; we know the time to the millisecond, so
 * the nanoseconds below it are random: unique across replicas writing in the same millisecond.
 */
function eventName(objectName: string, nowMs: number): string {
  const nanos = BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(randomInt(1_000_000));
  return `${objectName}.${nanos.toString(16)}`;
}

/**
 * The one core/v1 Event builder (client-go's makeEvent): a fresh Event with count 1, in the
 * involved object's namespace (`default` for cluster-scoped objects, as Kubernetes does).
 */
export function buildEvent(input: EventInput, origin: EventOrigin, nowMs: number): CoreEvent {
  const { involvedObject: ref } = input;
  const now = formatTime(nowMs);
  const source: EventSource =
    origin.source.host === undefined
      ? { component: origin.source.component }
      : { component: origin.source.component, host: origin.source.host };
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(ref.name, nowMs), namespace: ref.namespace || 'default' },
    involvedObject: withoutUndefined(ref),
    reason: input.reason,
    message: input.message,
    type: input.type,
    ...(input.action === undefined ? {} : { action: input.action }),
    source,
    reportingComponent: origin.source.component,
    reportingInstance: origin.instance ?? origin.source.host ?? '',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

/** A reference to a Kubernetes object, for `involvedObject`; `kind` fills in what it lacks. */
export function referenceTo(
  obj: {
    apiVersion?: string;
    kind?: string;
    metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
  },
  fallback: { apiVersion?: string; kind?: string; fieldPath?: string } = {},
): ObjectReference {
  const { metadata } = obj;
  return withoutUndefined({
    apiVersion: obj.apiVersion ?? fallback.apiVersion,
    kind: obj.kind ?? fallback.kind,
    namespace: metadata.namespace || undefined,
    name: metadata.name ?? '',
    uid: metadata.uid,
    resourceVersion: metadata.resourceVersion,
    fieldPath: fallback.fieldPath,
  });
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
