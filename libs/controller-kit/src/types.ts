/**
 * The narrow ports the kit reads the world through. A real adapter (gRPC to the api-server, NATS
 * for events) implements them; tests use the in-memory fakes from the `testing` entry.
 */

/** The kit handles objects of any kind; their one type lives in @bosun/api-types. */
export type { KubeObject, OwnerReference } from '@bosun/api-types';

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
