import type { KubeObject } from '../types';

/** Which collection a call addresses (the api-client's `ResourceRef`, structurally). */
export interface RestResourceRef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace?: string;
}

export interface RestListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
}

export interface RestWatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

/**
 * The slice of an api-server client the adapters use. `ApiClient` from @bosun/api-client fits it
 * as is; declaring it here keeps the kit free of a transport dependency, so a gRPC client can
 * replace the REST one without touching the adapters. Failures must be BosunErrors (NotFound,
 * Conflict, AlreadyExists, Gone...).
 */
export interface RestClient {
  get<T extends KubeObject>(ref: RestResourceRef, name: string): Promise<T>;
  list<T extends KubeObject>(
    ref: RestResourceRef,
    query?: RestListQuery,
  ): Promise<{ readonly items: T[]; readonly metadata: { resourceVersion?: string } }>;
  create<T extends KubeObject>(ref: RestResourceRef, obj: T): Promise<T>;
  update<T extends KubeObject>(ref: RestResourceRef, obj: T): Promise<T>;
  watch<T extends KubeObject>(
    ref: RestResourceRef,
    query?: RestListQuery,
    signal?: AbortSignal,
  ): AsyncIterable<RestWatchEvent<T>>;
}
