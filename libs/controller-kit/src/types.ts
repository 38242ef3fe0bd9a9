/**
 * The narrow ports the kit reads the world through. A real adapter (gRPC to the api-server, NATS
 * for events) implements them; tests use the in-memory fakes from the `testing` entry.
 */

export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid: string;
  readonly controller?: boolean;
}

/** The part of a Kubernetes object the kit interprets. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: readonly OwnerReference[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export const WatchEventType = {
  Added: 'ADDED',
  Modified: 'MODIFIED',
  Deleted: 'DELETED',
} as const;
export type WatchEventType = (typeof WatchEventType)[keyof typeof WatchEventType];

export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
  readonly revision: number;
}

export interface ListResult<T> {
  readonly items: readonly T[];
  readonly revision: number;
}

/** Stops a watch; calling it twice is harmless. */
export type StopWatch = () => void;

/**
 * List once, then follow from a revision. The objects handed over become the informer's property
 * (it freezes them), so an adapter must not keep mutating them.
 */
export interface ListWatchPort<T> {
  list(): Promise<ListResult<T>>;
  watch(
    fromRevision: number,
    onEvent: (event: WatchEvent<T>) => void,
    onError: (error: unknown) => void,
  ): StopWatch;
}
