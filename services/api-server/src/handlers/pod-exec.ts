import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BosunError, ErrorCode } from '@bosun/common';
import { toStatus } from '@bosun/resource-model';
import type { Authenticator } from '../auth/token-authenticator';
import type { Authorizer } from '../auth/authorizer';
import { parseRequestInfo, type RequestInfo } from '../http/request-info';
import { bridgeExec, EXEC_PROTOCOLS } from '../node-proxy/exec-bridge';
import { resolvePodTarget } from '../node-proxy/pod-target';
import type { ApiContext, ResourceRequest } from './context';
import { queryFlag } from '../http/query-bool';
import { ConcurrencyLimit } from '../http/concurrency-limit';

export interface UpgradeOptions {
  readonly ctx: ApiContext;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  /** The router's long-running limit: an exec session holds a slot until its socket closes. */
  readonly longRunning?: ConcurrencyLimit;
}

interface ExecQuery {
  readonly command: string[];
  readonly container: string | null;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

const bool = queryFlag;

/** PodExecOptions from the query, with the apiserver's validation messages. */
export function parseExecQuery(q: URLSearchParams): ExecQuery {
  const e: ExecQuery = {
    command: q.getAll('command'),
    container: q.get('container'),
    stdin: bool(q, 'stdin'),
    stdout: bool(q, 'stdout'),
    stderr: bool(q, 'stderr'),
    tty: bool(q, 'tty'),
  };
  if (e.command.length === 0)
    throw new BosunError(
      ErrorCode.BadRequest,
      'you must specify at least one command for the container',
    );
  if (!e.stdin && !e.stdout && !e.stderr)
    throw new BosunError(
      ErrorCode.BadRequest,
      'you must specify at least 1 of stdin, stdout, stderr',
    );
  return e;
}

/** exec reached without an Upgrade header (plain GET/POST): Kubernetes answers 400 too. */
export async function execWithoutUpgrade(_ctx: ApiContext, _r: ResourceRequest): Promise<void> {
  throw new BosunError(ErrorCode.BadRequest, 'Upgrade request required');
}

function reject(socket: Duplex, e: unknown): void {
  const status = toStatus(e);
  const body = JSON.stringify(status);
  const retry = status.details?.retryAfterSeconds;
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? ''}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      (retry ? `Retry-After: ${retry}\r\n` : '') +
      `Connection: close\r\n\r\n${body}`,
  );
}

function execTarget(req: IncomingMessage): { info: RequestInfo; query: URLSearchParams } {
  const url = new URL(`https://bosun.invalid${req.url ?? '/'}`);
  const path = url.pathname.replace(/\/+$/, '');
  const info = parseRequestInfo(req.method ?? 'GET', path, false);
  if (!info.isResource || info.group !== '' || info.resource !== 'pods' || !info.name)
    throw new BosunError(ErrorCode.NotFound, 'the server could not find the requested resource');
  if (info.subresource !== 'exec')
    throw new BosunError(
      ErrorCode.BadRequest,
      `pods/${info.subresource} is not supported by Bosun yet`,
    );
  return { info: { ...info, verb: 'create' }, query: url.searchParams };
}

async function accept(
  opts: UpgradeOptions,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  const { info, query } = execTarget(req);
  const user = await opts.authenticator.authenticate(req.headers.authorization);
  const decision = await opts.authorizer.authorize(user, info);
  if (!decision.allowed)
    throw new BosunError(ErrorCode.Forbidden, decision.reason, {
      context: { name: info.name, kind: 'pods', group: '' },
    });
  const q = parseExecQuery(query);
  const target = await resolvePodTarget(
    opts.ctx.store,
    opts.ctx.registry,
    info.namespace,
    info.name,
    q.container,
  );
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (
    (req.headers.upgrade ?? '').toLowerCase() !== 'websocket' ||
    !EXEC_PROTOCOLS.some((p) => offered.includes(p))
  )
    throw new BosunError(
      ErrorCode.BadRequest,
      `exec needs a WebSocket upgrade with one of the subprotocols ${EXEC_PROTOCOLS.join(', ')} (SPDY is not supported)`,
    );
  if (!opts.ctx.nodes)
    throw new BosunError(ErrorCode.Unavailable, 'this api-server does not reach node agents');
  const conn = opts.ctx.nodes.connect(target.node);
  wss.handleUpgrade(req, socket, head, (ws) =>
    bridgeExec(ws, conn.exec(), {
      start: {
        namespace: target.namespace,
        pod: target.pod,
        container: target.container,
        command: q.command,
        tty: q.tty,
        stdin: q.stdin,
      },
      stdout: q.stdout,
      stderr: q.stderr,
      done: () => conn.close(),
    }),
  );
}

/**
 * Largest WebSocket message an exec client may send. Its frames are stdin chunks (client-go reads
 * stdin in 32 KiB pieces), resizes and closes; `ws` would otherwise buffer up to 100 MiB per
 * message. A bigger one closes the connection with 1009 (message too big).
 */
export const EXEC_MAX_PAYLOAD = 1024 * 1024;

/** The exec WebSocket server (no listener of its own; the HTTP server hands it upgrades). */
export function execWebSocketServer(maxPayload = EXEC_MAX_PAYLOAD): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
}

export interface ExecUpgrades {
  /** The HTTP server's `upgrade` listener. */
  readonly handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Ends every open exec session (server stop). */
  close(): void;
}

/**
 * The HTTP server's `upgrade` listener: pods/exec over WebSocket (kubectl 1.32's default), with
 * the same authentication and authorization as every route (verb `create` on pods/exec).
 */
export function createUpgradeHandler(opts: UpgradeOptions): ExecUpgrades {
  const wss = execWebSocketServer();
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const release = opts.longRunning ? opts.longRunning.acquire() : () => undefined;
    if (!release) {
      reject(socket, opts.longRunning?.full());
      return;
    }
    socket.once('close', release);
    accept(opts, wss, req, socket, head).catch((e: unknown) => {
      if (!(e instanceof BosunError))
        opts.ctx.log.error({ err: e, url: req.url }, 'exec upgrade failed');
      reject(socket, e);
    });
  };
  return {
    handle,
    close: () => {
      // Upgraded sockets are no longer the HTTP server's: end open sessions here.
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
