import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@bosun/common';
import type { KindInfo, KindRegistry } from '@bosun/resource-model';
import type { Store, StoredObject } from '@bosun/store';
import type { Admission } from '../admission/admission';
import type { NamespaceCheck } from '../admission/namespace-check';
import type { UserInfo } from '../auth/user';
import type { RequestInfo } from '../http/request-info';
import type { OperationRequest } from '../operations/operation';
import type { NodeAgentDialer } from '../node-proxy/node-agent-client';
import type { WatchHub } from '../watch/watch-hub';

/** What every handler reaches the world through. */
export interface ApiContext {
  readonly store: Store;
  readonly registry: KindRegistry;
  readonly admission: Admission;
  readonly namespaces: NamespaceCheck;
  readonly hub: WatchHub;
  readonly log: Logger;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (ms). */
  readonly bookmarkIntervalMs: number;
  /** Reaches node agents for pods/log and pods/exec; absent = those answer 503. */
  readonly nodes?: NodeAgentDialer;
}

/** One request to a resource route, after authentication and authorization. */
export interface ResourceRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: RequestInfo;
  readonly query: URLSearchParams;
  readonly user: UserInfo;
  readonly kind: KindInfo;
  /** The request namespace for namespaced kinds, '' for cluster-scoped ones. */
  readonly namespace: string;
}

/** Puts apiVersion and kind on an object read from the store (they are stored, but be sure). */
export function withTypeMeta(kind: KindInfo, obj: StoredObject): StoredObject {
  if (obj.apiVersion === kind.apiVersion && obj.kind === kind.kind) return obj;
  return { ...obj, apiVersion: kind.apiVersion, kind: kind.kind };
}

export const isDryRun = (q: URLSearchParams): boolean => q.getAll('dryRun').includes('All');

/** The transport-independent view of a REST request, for the operations. */
export function operationRequest(r: ResourceRequest, name = r.info.name): OperationRequest {
  return {
    kind: r.kind,
    namespace: r.namespace,
    name,
    subresource: r.info.subresource,
    user: r.user,
    dryRun: isDryRun(r.query),
    fieldValidation: r.query.get('fieldValidation') ?? undefined,
  };
}
