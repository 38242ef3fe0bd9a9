import type { KubeObject } from '../types';

/** core/v1 Event, the fields Bosun's components write. */
export interface CoreEvent extends KubeObject {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: EventType;
  /** What was done (kube-scheduler's `Scheduling`, `Binding`); optional in core/v1. */
  action?: string;
  source: EventSource;
  reportingComponent: string;
  reportingInstance: string;
  /** metav1.Time: RFC 3339 to the second. */
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

export const EventType = { Normal: 'Normal', Warning: 'Warning' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface EventSource {
  readonly component: string;
  /** The node, for node-local components (the kubelet); absent for the control plane. */
  readonly host?: string;
}

/** What an Event is about (`involvedObject`). */
export interface ObjectReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  /** A part of the object, e.g. `spec.containers{web}`. */
  readonly fieldPath?: string;
}

/** The merge patch that bumps an existing Event (client-go patches the same three fields). */
export interface EventPatch {
  readonly count: number;
  readonly lastTimestamp: string;
  readonly message: string;
}
