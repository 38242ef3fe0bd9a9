import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { digestHex } from '../digest';

export interface FakeRegistryOptions {
  /** OCI layout directories served as `<repository>` (blobs and manifests by digest, tags from index.json). */
  readonly repositories: Readonly<Record<string, string>>;
  /** `bearer`: 401 with a token challenge, token endpoint checks these credentials; `basic`: htpasswd-like. */
  readonly auth?: {
    readonly scheme: 'bearer' | 'basic';
    readonly username: string;
    readonly password: string;
  };
  /** Digests whose bytes are served altered (one byte flipped). */
  readonly corrupt?: readonly string[];
  /** Extra manifests by tag (e.g. an index made by the test): tag -> { mediaType, body }. */
  readonly extraManifests?: Readonly<
    Record<string, { readonly mediaType: string; readonly body: Buffer }>
  >;
  /** Answers blob GETs with a 307 to `<blobRedirect>/<digest>`, as registries backed by a CDN do. */
  readonly blobRedirect?: string;
}

export interface FakeRegistry {
  readonly host: string;
  readonly url: string;
  /** Request paths seen, in order (to check what was, or was not, fetched). */
  readonly requests: string[];
  stop(): Promise<void>;
}

const TOKEN = 'fake-registry-token';

/**
 * A distribution-API registry in-process, for tests that need what the real one cannot easily do:
 * bearer-token auth, corrupt blobs, hand-made indexes. Serves loopback only.
 */
export async function startFakeRegistry(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(options, req, res, base).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url: base,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  o: FakeRegistryOptions,
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
) {
  const url = new URL(req.url ?? '/', base);
  if (url.pathname === '/token') return token(o, req, res);
  if (!authorized(o, req)) {
    res.statusCode = 401;
    res.setHeader(
      'www-authenticate',
      o.auth?.scheme === 'bearer'
        ? `Bearer realm="${base}/token",service="fake",scope="repository:x:pull"`
        : 'Basic realm="fake"',
    );
    return res.end();
  }
  const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
  const layout = m ? o.repositories[m[1]!] : undefined;
  if (!m || !layout) return notFound(res);
  const [, , kind, id] = m;
  if (kind === 'blobs' && o.blobRedirect) {
    res.statusCode = 307;
    res.setHeader('location', `${o.blobRedirect}/${id}`);
    return res.end();
  }
  const extra = kind === 'manifests' ? o.extraManifests?.[id!] : undefined;
  if (extra) return send(res, extra.body, extra.mediaType);
  const digest = id!.startsWith('sha256:') ? id! : await tagDigest(layout, id!);
  if (!digest) return notFound(res);
  let body: Buffer;
  try {
    body = await readFile(join(layout, 'blobs', 'sha256', digestHex(digest)));
  } catch {
    return notFound(res);
  }
  if (o.corrupt?.includes(digest)) body = Buffer.from(body.map((b, i) => (i === 0 ? b ^ 0xff : b)));
  const mediaType =
    kind === 'manifests'
      ? (JSON.parse(body.toString()) as { mediaType?: string }).mediaType
      : undefined;
  send(res, body, mediaType ?? 'application/octet-stream');
}

function send(res: ServerResponse, body: Buffer, contentType: string) {
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', body.length);
  res.end(body);
}

function notFound(res: ServerResponse) {
  res.statusCode = 404;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] }));
}

async function tagDigest(layout: string, tag: string): Promise<string | undefined> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag)
    ?.digest;
}

function basic(o: FakeRegistryOptions): string {
  return `Basic ${Buffer.from(`${o.auth!.username}:${o.auth!.password}`).toString('base64')}`;
}

function authorized(o: FakeRegistryOptions, req: IncomingMessage): boolean {
  if (!o.auth) return true;
  const given = req.headers.authorization;
  return o.auth.scheme === 'bearer' ? given === `Bearer ${TOKEN}` : given === basic(o);
}

function token(o: FakeRegistryOptions, req: IncomingMessage, res: ServerResponse) {
  if (req.headers.authorization !== basic(o)) {
    res.statusCode = 401;
    return res.end();
  }
  send(res, Buffer.from(JSON.stringify({ token: TOKEN })), 'application/json');
}
