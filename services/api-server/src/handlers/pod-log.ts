import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { BosunError, ErrorCode } from '@bosun/common';
import type { StreamLogsRequest, StreamLogsResponse } from '@bosun/proto';
import { sendError } from '../http/respond';
import { fromNodeError, type NodeAgentDialer } from '../node-proxy/node-agent-client';
import { resolvePodTarget } from '../node-proxy/pod-target';
import type { ApiContext, ResourceRequest } from './context';
import { queryFlag } from '../http/query-bool';

interface LogQuery {
  readonly container: string | null;
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
  /** Normalised to UTC, so it compares with the CRI log's times as text. */
  readonly sinceTime?: string;
  readonly limitBytes?: number;
}

const bool = queryFlag;

function int(q: URLSearchParams, key: string, min: number): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new BosunError(ErrorCode.Invalid, `${key}: Invalid value: ${raw}: must be >= ${min}`);
  return n;
}

/** PodLogOptions from the query, as the apiserver validates them. */
export function parseLogQuery(q: URLSearchParams): LogQuery {
  const sinceTime = q.get('sinceTime') || undefined;
  const sinceSeconds = int(q, 'sinceSeconds', 1);
  if (sinceTime) {
    if (sinceSeconds !== undefined)
      throw new BosunError(
        ErrorCode.Invalid,
        'at most one of sinceTime or sinceSeconds may be specified',
      );
    if (Number.isNaN(Date.parse(sinceTime)))
      throw new BosunError(ErrorCode.BadRequest, `invalid sinceTime: ${sinceTime}`);
  }
  return {
    container: q.get('container'),
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    tailLines: int(q, 'tailLines', 0),
    sinceSeconds,
    sinceTime: sinceTime === undefined ? undefined : new Date(sinceTime).toISOString(),
    limitBytes: int(q, 'limitBytes', 1),
  };
}

/**
 * GET pods/{name}/log: the node agent's log stream relayed as chunked plain text; `follow`
 * keeps the response open until the container stops or the client leaves.
 */
export async function podLog(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const dialer: NodeAgentDialer | undefined = ctx.nodes;
  if (!dialer)
    throw new BosunError(ErrorCode.Unavailable, 'this api-server does not reach node agents');
  {
    const q = parseLogQuery(r.query);
    const target = await resolvePodTarget(
      ctx.store,
      ctx.registry,
      r.namespace,
      r.info.name,
      q.container,
    );
    const conn = dialer.connect(target.node);
    const req: StreamLogsRequest = {
      namespace: target.namespace,
      pod: target.pod,
      container: target.container,
      follow: q.follow,
      tailLines: q.tailLines === undefined ? undefined : String(q.tailLines),
      sinceSeconds: q.sinceSeconds === undefined ? undefined : String(q.sinceSeconds),
      sinceTime: q.sinceTime,
      timestamps: q.timestamps,
      previous: q.previous,
    };
    const call = conn.streamLogs(req);
    const { res } = r;
    let left = q.limitBytes ?? Infinity;
    const begin = () => {
      if (!res.headersSent)
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    };
    await new Promise<void>((resolve) => {
      const finish = () => {
        call.cancel();
        conn.close();
        resolve();
      };
      res.on('close', finish);
      call.on('data', (m: StreamLogsResponse) => {
        // Messages already in flight when limitBytes was reached are dropped.
        if (res.writableEnded) return;
        begin();
        const data = Buffer.from(m.data).subarray(0, left);
        left -= data.length;
        if (!res.write(data)) {
          call.pause();
          res.once('drain', () => call.resume());
        }
        if (left <= 0) {
          res.end();
          call.cancel();
        }
      });
      call.on('end', () => {
        if (res.writableEnded) return;
        begin();
        res.end();
      });
      call.on('error', (e: ServiceError) => {
        if (e.code === GrpcStatus.CANCELLED) return; // by us: limit reached or client gone
        if (res.headersSent) res.end();
        else sendError(res, fromNodeError(e));
      });
    });
  }
}
