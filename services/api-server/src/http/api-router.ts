import type { IncomingMessage, ServerResponse } from 'node:http';
import { BosunError, ErrorCode } from '@bosun/common';
import {
  aggregatedDiscovery,
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openApiV2,
  openApiV3Document,
  openApiV3Index,
  type KindRegistry,
} from '@bosun/resource-model';
import type { Authenticator } from '../auth/token-authenticator';
import type { Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import { matchBosunRoute, routeAttributes, type BosunRoute } from '../history/bosun-routes';
import { parseEventLogQuery, serveEventLog } from '../history/event-log-stream';
import { serveObjectHistory } from '../history/object-history';
import type { ApiContext } from '../handlers/context';
import { handleResource } from '../handlers/resource-handler';
import { isNodeImagesRequest, nodeImageLoad } from '../node-proxy/node-image-load';
import { resolveTarget, resourceNotFound } from '../operations/target';
import {
  OPENAPI_V2_PROTOBUF,
  openApiV2Protobuf,
  wantsOpenApiV2Protobuf,
} from './openapi-v2-protobuf';
import { ConcurrencyLimit } from './concurrency-limit';
import { isLongRunning } from './long-running';
import { queryFlag } from './query-bool';
import { parseRequestInfo, type RequestInfo } from './request-info';
import { armRequestTimeout, DEFAULT_REQUEST_TIMEOUT_MS, requestDeadline } from './request-timeout';
import type { RequestMetrics } from './request-metrics';
import { sendError, sendJson } from './respond';

export interface RouterOptions {
  readonly ctx: ApiContext;
  readonly metrics?: RequestMetrics;
  /** Most non-long-running requests served at once; more answer 429 (kube-apiserver's max-requests-inflight). */
  readonly maxInflight?: number;
  /**
   * Watches, streaming subresources and followed event logs served at once, exec sessions included
   * (shared with the upgrade handler); more answer 429.
   */
  readonly longRunning?: ConcurrencyLimit;
  /** Deadline of a non-long-running request in ms (504 Timeout past it; 0 = none). */
  readonly requestTimeoutMs?: number;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly serverAddress: () => string;
  readonly ready: () => boolean;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-bosun',
  gitCommit: 'bosun',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch}`,
} as const;

const notFound = resourceNotFound;

/** Default most long-running requests at once (RouterOptions.longRunning). */
export const DEFAULT_MAX_LONG_RUNNING = 1000;

/** A request's URL, its path without trailing slashes, and what it asks for. */
interface ParsedRequest {
  readonly url: URL;
  readonly path: string;
  readonly info: RequestInfo;
}

function parseRequest(req: IncomingMessage): ParsedRequest {
  let url: URL;
  try {
    // Concatenate rather than resolve: a path starting with `//` must not become a host.
    url = new URL(
      `https://bosun.invalid${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`,
    );
  } catch {
    throw new BosunError(ErrorCode.BadRequest, 'malformed request URL');
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const info = parseRequestInfo(req.method ?? 'GET', path, queryFlag(url.searchParams, 'watch'));
  return { url, path, info };
}

/**
 * The request entry point: authn → authz → route; every error is answered as a Status. Load is
 * shed before any work, with 429 and Retry-After: past `maxInflight` concurrent ordinary requests,
 * or past the long-running limit for watches and streams (kube-apiserver exempts those from
 * max-in-flight, so they need a ceiling of their own). Ordinary requests also get a deadline
 * (504 Timeout past it).
 */
export function createRouter(
  opts: RouterOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const inflight = new ConcurrencyLimit(opts.maxInflight ?? 800, 'requests');
  const longRunning =
    opts.longRunning ?? new ConcurrencyLimit(DEFAULT_MAX_LONG_RUNNING, 'long-running requests');
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return (req, res) => {
    const started = process.hrtime.bigint();
    let parsed: ParsedRequest | undefined;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const info = parsed?.info;
      opts.metrics?.observe(
        info?.verb ?? 'unknown',
        info?.resource ?? '',
        info?.subresource ?? '',
        res.statusCode,
        seconds,
      );
    });
    const fail = (e: unknown) => {
      if (!(e instanceof BosunError))
        opts.ctx.log.error({ err: e, url: req.url, method: req.method }, 'request failed');
      sendError(res, e);
    };
    try {
      parsed = parseRequest(req);
    } catch (e) {
      fail(e);
      return;
    }
    const long = isLongRunning(parsed.info, parsed.path, parsed.url.searchParams);
    const limit = long ? longRunning : inflight;
    const release = limit.acquire();
    if (!release) {
      sendError(res, limit.full());
      return;
    }
    res.once('finish', release);
    res.once('close', release);
    if (!long) {
      try {
        armRequestTimeout(res, requestDeadline(parsed.url.searchParams, timeoutMs));
      } catch (e) {
        fail(e);
        return;
      }
    }
    route(opts, req, res, parsed).catch(fail);
  };
}

async function route(
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
  { url, path, info }: ParsedRequest,
): Promise<void> {
  if (PUBLIC_PATHS.has(path) && req.method === 'GET' && serveHealth(opts, path, res)) return;
  const user = await opts.authenticator.authenticate(req.headers.authorization);
  const bosunRoute = matchBosunRoute(path);
  if (bosunRoute) return serveBosunRoute(opts, req, res, url, bosunRoute, user);
  const decision = await opts.authorizer.authorize(
    user,
    info.isResource ? info : { verb: info.verb, path },
  );
  if (!decision.allowed)
    throw new BosunError(ErrorCode.Forbidden, decision.reason, {
      context: { name: info.name, kind: info.resource, group: info.group },
    });
  if (isNodeImagesRequest(info)) return nodeImageLoad(opts.ctx, req, res, info.name);
  if (!info.isResource) return serveNonResource(opts, req, res, path);
  const { kind, namespace } = resolveTarget(opts.ctx.registry, info, info.verb);
  await handleResource(opts.ctx, {
    req,
    res,
    info: info as RequestInfo,
    query: url.searchParams,
    user,
    kind,
    namespace,
  });
}

async function serveBosunRoute(
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: BosunRoute,
  user: UserInfo,
): Promise<void> {
  const namespace = url.searchParams.get('namespace');
  const decision = await opts.authorizer.authorize(user, routeAttributes(route, namespace ?? ''));
  if (!decision.allowed) throw new BosunError(ErrorCode.Forbidden, decision.reason);
  if (req.method !== 'GET')
    throw new BosunError(ErrorCode.MethodNotAllowed, `${req.method} is not allowed here`);
  if (route.kind === 'history') return serveObjectHistory(opts.ctx, res, route, namespace);
  return serveEventLog(opts.ctx, req, res, parseEventLogQuery(url.searchParams));
}

function serveHealth(opts: RouterOptions, path: string, res: ServerResponse): boolean {
  if (path === '/version') {
    sendJson(res, 200, VERSION_INFO);
    return true;
  }
  const ok = path !== '/readyz' || opts.ready();
  res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
  res.end(ok ? 'ok' : 'not ready');
  return true;
}

function serveNonResource(
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  if (req.method !== 'GET')
    throw new BosunError(ErrorCode.MethodNotAllowed, `${req.method} is not allowed on ${path}`);
  const reg = opts.ctx.registry;
  const accept = (req.headers.accept ?? '').split(',')[0].replace(/\s+/g, '');
  const aggregated = accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2');
  if ((path === '/api' || path === '/apis') && aggregated) {
    const text = JSON.stringify(aggregatedDiscovery(path === '/api', reg));
    res.writeHead(200, {
      'Content-Type': AGGREGATED_DISCOVERY_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const parts = path.split('/').filter(Boolean);
  let body: unknown;
  if (path === '/api') body = apiVersions(opts.serverAddress());
  else if (path === '/apis') body = apiGroupList(reg);
  else if (parts[0] === 'api' && parts.length === 2) body = apiResourceList('', parts[1], reg);
  else if (parts[0] === 'apis' && parts.length === 2) body = apiGroup(parts[1], reg);
  else if (parts[0] === 'apis' && parts.length === 3)
    body = apiResourceList(parts[1], parts[2], reg);
  else if (path === '/openapi/v2') return sendOpenApiV2(req, res, reg);
  else if (path === '/openapi/v3') body = openApiV3Index(reg);
  else if (parts[0] === 'openapi' && parts[1] === 'v3')
    body = openApiV3Document(parts.slice(2).join('/'), reg)?.document;
  if (body === undefined) throw notFound();
  sendJson(res, 200, body);
}

// The v2 document is large (~0.7 MB) and fixed for a registry: serialize it once.
const v2Cache = new WeakMap<KindRegistry, string>();
function openApiV2Text(reg: KindRegistry): string {
  let text = v2Cache.get(reg);
  if (text === undefined) {
    text = JSON.stringify(openApiV2(reg));
    v2Cache.set(reg, text);
  }
  return text;
}

/** JSON, or gnostic's protobuf when asked for (client-go's OpenAPI v2 client, kubectl's validation). */
function sendOpenApiV2(req: IncomingMessage, res: ServerResponse, reg: KindRegistry): void {
  if (wantsOpenApiV2Protobuf(req.headers.accept)) {
    const bytes = openApiV2Protobuf(openApiV2(reg));
    res.writeHead(200, {
      'Content-Type': OPENAPI_V2_PROTOBUF,
      'Content-Length': bytes.length,
      Vary: 'Accept',
    });
    res.end(bytes);
    return;
  }
  const json = openApiV2Text(reg);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
    Vary: 'Accept',
  });
  res.end(json);
}
