import type { StoredObject } from '@bosun/store';
import { secretValue } from './bootstrap-token';
import { authenticatedUser, Groups, type UserInfo } from './user';

/*
 * A node's lasting credential after it joined with a bootstrap token: a Secret
 * `kube-system/node-token-<nodeName>` of type `bosun.dev/node-token` with data `node-name` and
 * `token`. Its bearer token authenticates as `system:node:<nodeName>` in `system:nodes`. (Kubernetes
 * uses a client certificate from a CSR here; Bosun has bearer tokens only.)
 */
export const NODE_TOKEN_SECRET_TYPE = 'bosun.dev/node-token';
export const NODE_TOKEN_SECRET_PREFIX = 'node-token-';
/** Shortest node token accepted (the agent generates 43 characters). */
export const NODE_TOKEN_MIN_LENGTH = 32;

export interface NodeTokenRecord {
  readonly nodeName: string;
  readonly token: string;
}

/** The record of a node-token Secret, or undefined when the Secret is not a usable one. */
export function nodeTokenRecord(obj: StoredObject): NodeTokenRecord | undefined {
  const name = obj.metadata.name ?? '';
  if (obj['type'] !== NODE_TOKEN_SECRET_TYPE || !name.startsWith(NODE_TOKEN_SECRET_PREFIX))
    return undefined;
  if (obj.metadata['deletionTimestamp'] !== undefined) return undefined;
  const nodeName = name.slice(NODE_TOKEN_SECRET_PREFIX.length);
  const token = secretValue(obj, 'token');
  if (secretValue(obj, 'node-name') !== nodeName || token === undefined) return undefined;
  if (token.length < NODE_TOKEN_MIN_LENGTH || /\s/.test(token)) return undefined;
  return { nodeName, token };
}

export const nodeUser = (nodeName: string): UserInfo =>
  authenticatedUser(`system:node:${nodeName}`, '', [Groups.Nodes]);
