import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BosunError } from '@bosun/common';
import { ImageErrorReason, imageError } from './image-error';
import { sha256Digest, verifyBuffer } from './digest';
import { MANIFEST_ACCEPT, parseManifest, type ImageIndex, type ImageManifest } from './manifest';
import { isInsecureRegistry } from './insecure-registries';
import { formatReference, registryApiHost, type ImageReference } from './reference';
import {
  basicAuthorization,
  fetchBearerToken,
  parseChallenge,
  type RegistryCredentials,
} from './registry-auth';

export interface RegistryClientOptions {
  /** Credentials per registry host as in the reference (`127.0.0.1:5000`, `docker.io`). */
  readonly credentials?: Readonly<Record<string, RegistryCredentials>>;
  /** Registries reached over plain http besides loopback ones: `host[:port]` or CIDR entries. */
  readonly insecureRegistries?: readonly string[];
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface FetchedManifest {
  readonly digest: string;
  readonly body: Buffer;
  readonly manifest: ImageManifest | ImageIndex;
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * A client for the OCI distribution API v2: manifests and blobs of one repository at a time,
 * anonymous, Basic or Bearer (token) auth, every byte checked against its digest by the caller's
 * stream or here for manifests.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** GETs a manifest by the reference's digest (verified) or tag. */
  async getManifest(ref: ImageReference, digest?: string): Promise<FetchedManifest> {
    const wanted = digest ?? ref.digest ?? ref.tag ?? 'latest';
    const res = await this.request(ref, `manifests/${wanted}`, { accept: MANIFEST_ACCEPT });
    const len = Number(res.headers.get('content-length') ?? 0);
    if (len > MAX_MANIFEST_BYTES) {
      throw imageError(ImageErrorReason.InvalidManifest, `manifest of ${len} bytes is too large`);
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_MANIFEST_BYTES) {
      throw imageError(ImageErrorReason.InvalidManifest, 'manifest too large');
    }
    const expected = digest ?? ref.digest;
    if (expected) verifyBuffer(body, expected, `manifest of ${formatReference(ref)}`);
    const manifest = parseManifest(body, res.headers.get('content-type') ?? undefined);
    return { digest: expected ?? sha256Digest(body), body, manifest };
  }

  /** A stream of the blob's bytes; the caller verifies them (DigestVerifier) while consuming. */
  async getBlob(ref: ImageReference, digest: string): Promise<Readable> {
    // Identity: a transparently decompressed body would no longer match the digest.
    const res = await this.request(ref, `blobs/${digest}`, { 'accept-encoding': 'identity' });
    if (!res.body)
      throw imageError(ImageErrorReason.RegistryError, `empty body for blob ${digest}`);
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  baseUrl(registry: string): string {
    const insecure = isInsecureRegistry(registry, this.options.insecureRegistries);
    return `${insecure ? 'http' : 'https'}://${registryApiHost(registry)}/v2/`;
  }

  private async request(
    ref: ImageReference,
    path: string,
    headers: Record<string, string>,
  ): Promise<Response> {
    const url = `${this.baseUrl(ref.registry)}${ref.repository}/${path}`;
    const scope = `repository:${ref.repository}:pull`;
    const tokenKey = `${ref.registry}|${scope}`;
    const creds = this.options.credentials?.[ref.registry];
    let auth = this.tokens.get(tokenKey);
    let res = await this.send(url, headers, auth);
    if (res.status === 401) {
      await res.body?.cancel();
      const header = res.headers.get('www-authenticate');
      if (!header) throw unauthorized(ref, 'registry answered 401 without a challenge');
      const challenge = parseChallenge(header);
      if (challenge.scheme === 'bearer') {
        auth = `Bearer ${await fetchBearerToken(challenge, scope, creds, this.fetchImpl)}`;
      } else if (challenge.scheme === 'basic' && creds) {
        auth = basicAuthorization(creds);
      } else {
        throw unauthorized(
          ref,
          creds ? `unsupported auth scheme ${challenge.scheme}` : 'credentials required',
        );
      }
      this.tokens.set(tokenKey, auth);
      res = await this.send(url, headers, auth);
    }
    if (res.ok) return res;
    await res.body?.cancel();
    throw statusError(ref, path, res.status);
  }

  private async send(
    url: string,
    headers: Record<string, string>,
    auth?: string,
  ): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        headers: auth ? { ...headers, authorization: auth } : headers,
        redirect: 'follow',
      });
    } catch (e) {
      throw imageError(ImageErrorReason.Unreachable, `registry unreachable: ${new URL(url).host}`, {
        cause: e,
        retryable: true,
        context: { url },
      });
    }
  }
}

function unauthorized(ref: ImageReference, why: string): BosunError {
  return imageError(ImageErrorReason.Unauthorized, `${formatReference(ref)}: ${why}`, {
    context: { image: formatReference(ref) },
  });
}

function statusError(ref: ImageReference, path: string, status: number): BosunError {
  const image = formatReference(ref);
  if (status === 404) {
    return imageError(ImageErrorReason.NotFound, `${image}: ${path.split('/')[0]} not found`, {
      context: { image, status },
    });
  }
  if (status === 401 || status === 403) return unauthorized(ref, `access denied (${status})`);
  return imageError(ImageErrorReason.RegistryError, `${image}: registry answered ${status}`, {
    context: { image, status },
    retryable: status >= 500 || status === 429,
  });
}
