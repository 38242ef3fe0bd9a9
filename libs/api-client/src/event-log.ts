import type { KubeObject } from './resource-ref';

/*
 * Bosun's event-log views (services/api-server/src/history): not Kubernetes API, so not in
 * discovery. Paths:
 *   GET /apis/bosun.dev/v1/history/{group|core}/{version}/{resource}/{name}?namespace=ns
 *   GET /apis/bosun.dev/v1/events?after=<revision>&limit=<n>&follow=true
 */
export const BOSUN_API_PREFIX = '/apis/bosun.dev/v1';

export type EventLogType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One recorded version of an object. */
export interface HistoryEntry<T extends KubeObject = KubeObject> {
  readonly revision: number;
  readonly type: EventLogType;
  /** The authenticated user that made the change (`bosun-admin`, `system:kube-scheduler`...). */
  readonly actor: string;
  /** Commit time, RFC 3339. */
  readonly time: string;
  readonly object: T;
}

/** Every recorded version of one object, oldest first, across delete and re-create. */
export interface ObjectHistory<T extends KubeObject = KubeObject> {
  readonly apiVersion: 'bosun.dev/v1';
  readonly kind: 'ObjectHistory';
  readonly resource: {
    readonly group: string;
    readonly version: string;
    readonly resource: string;
  };
  readonly namespace: string;
  readonly name: string;
  /** Versions at or below this revision may have been compacted away. */
  readonly compactedRevision: number;
  readonly items: readonly HistoryEntry<T>[];
}

/** One committed change of any resource, as the event-log stream sends it. */
export interface EventLogLine<T extends KubeObject = KubeObject> extends HistoryEntry<T> {
  readonly group: string;
  readonly resource: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export interface StreamEventsOptions {
  /** Start after this revision; absent = the last `limit` revisions. */
  readonly after?: number;
  /** Without follow: at most this many events (default 100, max 10000). */
  readonly limit?: number;
  /** Keep streaming new commits until `signal` aborts. */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
}

export function historyPath(
  ref: { readonly group: string; readonly version: string; readonly resource: string },
  namespace: string | undefined,
  name: string,
): string {
  const seg = [ref.group || 'core', ref.version, ref.resource, name].map(encodeURIComponent);
  const ns = namespace ? `?namespace=${encodeURIComponent(namespace)}` : '';
  return `${BOSUN_API_PREFIX}/history/${seg.join('/')}${ns}`;
}
