import { timingSafeEqual } from 'node:crypto';
import type { StoredObject } from '@bosun/store';
import { authenticatedUser, Groups, type UserInfo } from './user';

/*
 * Kubernetes bootstrap tokens (https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/):
 * a Secret `kube-system/bootstrap-token-<id>` of type `bootstrap.kubernetes.io/token`; the bearer
 * token `<id>.<secret>` authenticates as `system:bootstrap:<id>`.
 */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** What the authenticator keeps of one bootstrap-token Secret. */
export interface BootstrapTokenRecord {
  readonly id: string;
  readonly secret: Buffer;
  /** Epoch ms; absent = never expires. NaN = unparseable (the token is refused). */
  readonly expiresAt?: number;
  readonly usableForAuthentication: boolean;
  readonly extraGroups: readonly string[];
  /** A bad auth-extra-groups value refuses the token, as Kubernetes does. */
  readonly groupsValid: boolean;
  readonly deleting: boolean;
}

/** A Secret's data value as text (data is base64; stringData, if stored, is plain). */
export function secretValue(obj: StoredObject, key: string): string | undefined {
  const data = obj['data'] as Record<string, unknown> | undefined;
  const raw = data?.[key];
  if (typeof raw === 'string') return Buffer.from(raw, 'base64').toString('utf8');
  const plain = (obj['stringData'] as Record<string, unknown> | undefined)?.[key];
  return typeof plain === 'string' ? plain : undefined;
}

/** The record of a bootstrap-token Secret, or undefined when the Secret is not one. */
export function bootstrapTokenRecord(obj: StoredObject): BootstrapTokenRecord | undefined {
  const name = obj.metadata.name ?? '';
  if (
    obj['type'] !== BOOTSTRAP_TOKEN_SECRET_TYPE ||
    !name.startsWith(BOOTSTRAP_TOKEN_SECRET_PREFIX)
  )
    return undefined;
  const id = name.slice(BOOTSTRAP_TOKEN_SECRET_PREFIX.length);
  if (secretValue(obj, 'token-id') !== id) return undefined;
  const secret = secretValue(obj, 'token-secret');
  if (secret === undefined || !/^[a-z0-9]{16}$/.test(secret)) return undefined;
  const expiration = secretValue(obj, 'expiration');
  const extra = (secretValue(obj, 'auth-extra-groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  return {
    id,
    secret: Buffer.from(secret),
    expiresAt: expiration === undefined ? undefined : rfc3339(expiration),
    usableForAuthentication: secretValue(obj, 'usage-bootstrap-authentication') === 'true',
    extraGroups: extra,
    groupsValid: extra.every((g) => EXTRA_GROUP_PATTERN.test(g)),
    deleting: obj.metadata['deletionTimestamp'] !== undefined,
  };
}

function rfc3339(s: string): number {
  // Date.parse accepts more than RFC 3339; require the shape first.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) return NaN;
  return Date.parse(s);
}

/** The user a bearer token names, when `record` (looked up by the token's id) accepts it at `now`. */
export function authenticateBootstrapToken(
  token: string,
  record: BootstrapTokenRecord | undefined,
  now: number,
): UserInfo | undefined {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(token);
  if (!m || !record || record.id !== m[1]) return undefined;
  const given = Buffer.from(m[2]);
  // Constant time, so response timing does not leak a prefix of the secret.
  if (given.length !== record.secret.length || !timingSafeEqual(given, record.secret))
    return undefined;
  if (record.deleting || !record.usableForAuthentication || !record.groupsValid) return undefined;
  if (record.expiresAt !== undefined && !(now < record.expiresAt)) return undefined;
  return authenticatedUser(`system:bootstrap:${record.id}`, '', [
    Groups.Bootstrappers,
    ...record.extraGroups,
  ]);
}
