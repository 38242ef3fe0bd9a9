import { execFile } from 'node:child_process';
import { randomUUID, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testToolPath } from './test-tools';

const run = promisify(execFile);
const ISSUER = 'bosun-test-issuer';
const SERVICE = 'bosun-test-registry';

export interface TestTokenServer {
  /** What the registry's `auth.token` config needs. */
  readonly registryConfig: {
    readonly realm: string;
    readonly service: string;
    readonly issuer: string;
    readonly rootcertbundle: string;
  };
  stop(): Promise<void>;
}

/**
 * A token endpoint of the distribution token protocol for one user: it checks Basic credentials
 * and returns an RS256 JWT granting the requested repository actions, signed by a self-signed
 * certificate (made with openssl) that the registry trusts through `rootcertbundle`.
 */
export async function startTestTokenServer(
  dir: string,
  user: { readonly username: string; readonly password: string },
): Promise<TestTokenServer> {
  const keyPath = join(dir, 'token-key.pem');
  const certPath = join(dir, 'token-cert.pem');
  const openssl = testToolPath('openssl');
  if (!openssl) throw new Error('openssl is not installed (Debian package: openssl)');
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=bosun-test-token',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const key = await readFile(keyPath, 'utf8');
  const certDer = (await readFile(certPath, 'utf8')).replace(/-----[^-]+-----|\s/g, '');
  const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.statusCode = 401;
      return res.end();
    }
    respond(req, res, user.username, key, certDer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    registryConfig: {
      realm: `http://127.0.0.1:${port}/token`,
      service: SERVICE,
      issuer: ISSUER,
      rootcertbundle: certPath,
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(
  req: IncomingMessage,
  res: ServerResponse,
  subject: string,
  key: string,
  certDer: string,
) {
  const url = new URL(req.url ?? '/', 'http://token');
  const access = url.searchParams
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .map((s) => /^(repository):(.+):([a-z,*]+)$/.exec(s))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, type, name, actions]) => ({ type, name, actions: actions!.split(',') }));
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', x5c: [certDer] })}.${b64({
    iss: ISSUER,
    sub: subject,
    aud: url.searchParams.get('service') ?? SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  })}`;
  const token = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      token,
      access_token: token,
      expires_in: 300,
      issued_at: new Date().toISOString(),
    }),
  );
}
