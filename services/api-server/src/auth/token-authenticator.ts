import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BosunError, ErrorCode } from '@bosun/common';
import { writeSecret } from '../tls/pki';
import { ADMIN_USER, type UserInfo } from './user';

/** Turns a request's Authorization header into a user, or throws Unauthorized (401). */
export interface Authenticator {
  authenticate(authorization: string | undefined): UserInfo;
}

/** Static bearer tokens: each token names one user. */
export class TokenAuthenticator implements Authenticator {
  private readonly tokens: { readonly token: Buffer; readonly user: UserInfo }[];

  constructor(tokens: ReadonlyMap<string, UserInfo>) {
    this.tokens = [...tokens].map(([token, user]) => ({ token: Buffer.from(token), user }));
  }

  authenticate(authorization: string | undefined): UserInfo {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (match) {
      const given = Buffer.from(match[1]);
      for (const t of this.tokens) {
        // Constant-time compare so response timing does not leak a token prefix.
        if (t.token.length === given.length && timingSafeEqual(t.token, given)) return t.user;
      }
    }
    throw new BosunError(ErrorCode.Unauthorized, 'Unauthorized');
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
  return new TokenAuthenticator(new Map([[adminToken, ADMIN_USER]]));
}
