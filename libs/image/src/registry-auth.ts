import { ImageErrorReason, imageError } from './image-error';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (quoted or token values). */
export function parseChallenge(header: string): AuthChallenge {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  const rest = space < 0 ? '' : header.slice(space + 1);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return { scheme, params };
}

export function basicAuthorization(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/**
 * Fetches a bearer token from the challenge's realm (the distribution token protocol), with Basic
 * credentials when we have them, anonymously otherwise.
 */
export async function fetchBearerToken(
  challenge: AuthChallenge,
  scope: string,
  credentials: RegistryCredentials | undefined,
  fetchImpl: typeof fetch,
): Promise<string> {
  const realm = challenge.params['realm'];
  if (!realm) {
    throw imageError(ImageErrorReason.Unauthorized, 'bearer challenge without realm');
  }
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  url.searchParams.set('scope', challenge.params['scope'] ?? scope);
  const headers: Record<string, string> = {};
  if (credentials) headers['authorization'] = basicAuthorization(credentials);
  let res: Response;
  try {
    res = await fetchImpl(url, { headers });
  } catch (e) {
    throw imageError(ImageErrorReason.Unreachable, `token endpoint ${url.origin} unreachable`, {
      cause: e,
      retryable: true,
    });
  }
  if (res.status === 401 || res.status === 403) {
    throw imageError(
      ImageErrorReason.Unauthorized,
      `token endpoint refused the credentials (${res.status})`,
      {
        context: { status: res.status },
      },
    );
  }
  if (!res.ok) {
    throw imageError(ImageErrorReason.RegistryError, `token endpoint answered ${res.status}`, {
      context: { status: res.status },
    });
  }
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw imageError(ImageErrorReason.Unauthorized, 'token endpoint returned no token');
  return token;
}
