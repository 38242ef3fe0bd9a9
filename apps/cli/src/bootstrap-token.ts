import { randomInt } from 'node:crypto';
import type { KubeObject } from '@bosun/api-client';

/**
 * Kubernetes bootstrap tokens (kubeadm's format): `<id>.<secret>`, id [a-z0-9]{6}, secret
 * [a-z0-9]{16}, kept in the Secret `kube-system/bootstrap-token-<id>` of type
 * `bootstrap.kubernetes.io/token`. The api-server authenticates them; these are the client side.
 */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const TOKEN_ID_PATTERN = /^[a-z0-9]{6}$/;
export const BOOTSTRAP_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_NAMESPACE = 'kube-system';
export const NODE_TOKEN_GROUP = 'system:bootstrappers:bosun:default-node-token';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface BootstrapToken {
  readonly id: string;
  readonly secret: string;
}

export const tokenString = (t: BootstrapToken): string => `${t.id}.${t.secret}`;
export const secretName = (id: string): string => `bootstrap-token-${id}`;

/** A fresh token from the OS's CSPRNG (randomInt draws without modulo bias). */
export function generateToken(): BootstrapToken {
  const draw = (n: number): string =>
    Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return { id: draw(6), secret: draw(16) };
}

/** Parses `<id>.<secret>`; the error says what a token looks like, never echoes the secret. */
export function parseToken(text: string): BootstrapToken {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(text);
  if (m === null) {
    throw new Error(
      'the token is not a bootstrap token: expected <id>.<secret>, 6 and 16 characters of [a-z0-9] (as printed by `bosun token create`)',
    );
  }
  return { id: m[1], secret: m[2] };
}

export interface BootstrapSecretOptions {
  /** Absent: the token never expires (`--ttl 0`). */
  readonly expiration?: Date;
  readonly description?: string;
}

/** The Secret that makes `token` valid, as `kubeadm token create` writes it. */
export function bootstrapSecret(token: BootstrapToken, opts: BootstrapSecretOptions): KubeObject {
  const data: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
    'auth-extra-groups': NODE_TOKEN_GROUP,
  };
  if (opts.expiration) data.expiration = rfc3339(opts.expiration);
  if (opts.description) data.description = opts.description;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName(token.id), namespace: BOOTSTRAP_NAMESPACE },
    type: BOOTSTRAP_SECRET_TYPE,
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  };
}

/** RFC 3339 in UTC to the second, as Go's time.RFC3339 prints it. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What `bosun token list` shows of one bootstrap-token Secret. */
export interface TokenRow {
  readonly id: string;
  readonly expiration?: Date;
  readonly usages: readonly string[];
  readonly description: string;
  readonly extraGroups: readonly string[];
}

interface SecretLike {
  readonly metadata: { readonly name?: string };
  readonly type?: unknown;
  readonly data?: unknown;
}

/** Reads a bootstrap-token Secret; undefined for any other Secret or a malformed one. */
export function tokenRow(secret: SecretLike): TokenRow | undefined {
  if (secret.type !== BOOTSTRAP_SECRET_TYPE) return undefined;
  const raw = (secret.data ?? {}) as Record<string, unknown>;
  const field = (k: string): string =>
    typeof raw[k] === 'string' ? Buffer.from(raw[k], 'base64').toString('utf8') : '';
  const id = field('token-id');
  if (!TOKEN_ID_PATTERN.test(id) || secret.metadata.name !== secretName(id)) return undefined;
  const exp = field('expiration');
  const expiration = exp === '' ? undefined : new Date(exp);
  const usages = Object.keys(raw)
    .filter((k) => k.startsWith('usage-bootstrap-') && field(k) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length))
    .sort();
  const groups = field('auth-extra-groups');
  return {
    id,
    expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined,
    usages,
    description: field('description'),
    extraGroups: groups === '' ? [] : groups.split(','),
  };
}
