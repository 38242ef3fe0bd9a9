import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BosunError, ErrorCode } from '@bosun/common';
import { writeSecret } from '../tls/pki';
import type { SecretTokenIndex } from './secret-token-index';
import type { StaticToken } from './token-file';
import { ADMIN_USER, authenticatedUser, type UserInfo } from './user';

/** Turns a request's Authorization header into a user, or rejects with Unauthorized (401). */
export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<UserInfo>;
}

const unauthorized = (): BosunError => new BosunError(ErrorCode.Unauthorized, 'Unauthorized');

/** The bearer token of an Authorization header, if it has one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** Static bearer tokens: each token names one user. */
export class StaticTokens {
  private readonly tokens: { readonly token: Buffer; readonly user: UserInfo }[];

  constructor(tokens: ReadonlyMap<string, UserInfo>) {
    this.tokens = [...tokens].map(([token, user]) => ({ token: Buffer.from(token), user }));
  }

  static fromFile(admin: string, file: readonly StaticToken[]): StaticTokens {
    const map = new Map<string, UserInfo>([[admin, ADMIN_USER]]);
    for (const t of file)
      if (!map.has(t.token)) map.set(t.token, authenticatedUser(t.user, t.uid, t.groups));
    return new StaticTokens(map);
  }

  lookup(token: string): UserInfo | undefined {
    const given = Buffer.from(token);
    let found: UserInfo | undefined;
    for (const t of this.tokens) {
      // Constant-time compare, and no early exit, so timing does not leak a token prefix.
      if (t.token.length === given.length && timingSafeEqual(t.token, given)) found ??= t.user;
    }
    return found;
  }
}

/**
 * kube-apiserver's union of token authenticators: the static tokens (admin, token file) first,
 * then bootstrap and node tokens from Secrets when an index is given.
 */
export class TokenAuthenticator implements Authenticator {
  constructor(
    private readonly statics: StaticTokens,
    private readonly secrets?: SecretTokenIndex,
  ) {}

  async authenticate(authorization: string | undefined): Promise<UserInfo> {
    const token = bearerToken(authorization);
    if (token === undefined) throw unauthorized();
    const user = this.statics.lookup(token) ?? (await this.secrets?.authenticate(token));
    if (!user) throw unauthorized();
    return user;
  }
}

/** Reads the admin token from `path`, generating and storing it (0600) on first start. */
export async function ensureAdminToken(path: string): Promise<string> {
  if (existsSync(path)) {
    const token = (await readFile(path, 'utf8')).trim();
    if (token.length >= 32) return token;
  }
  const token = randomBytes(32).toString('base64url');
  await writeSecret(path, `${token}\n`);
  return token;
}

export function adminAuthenticator(adminToken: string): TokenAuthenticator {
  return new TokenAuthenticator(new StaticTokens(new Map([[adminToken, ADMIN_USER]])));
}
