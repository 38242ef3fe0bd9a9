import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceError } from '@grpc/grpc-js';
import { BosunError, ErrorCode } from '@bosun/common';
import type { LoadImageResponse } from '@bosun/proto';
import type { ApiContext } from '../handlers/context';
import { sendJson } from '../http/respond';
import type { RequestInfo } from '../http/request-info';
import { fromNodeError } from './node-agent-client';
import { nodeAgentEndpoint } from './node-endpoint';
import { withNodeToken } from './pod-target';

/** The group and version of Bosun's own non-resource node endpoints (not in discovery). */
export const NODE_IMAGES_GROUP = 'bosun.dev';

/** `POST /apis/bosun.dev/v1/nodes/{name}/images`: `bosun image load` for one node. */
export function isNodeImagesRequest(info: RequestInfo): boolean {
  return (
    info.isResource &&
    info.group === NODE_IMAGES_GROUP &&
    info.version === 'v1' &&
    info.namespace === '' &&
    info.resource === 'nodes' &&
    info.name !== '' &&
    info.subresource === 'images'
  );
}

/**
 * Relays an image archive (the raw request body) to the node agent's LoadImage over the same
 * pinned-certificate channel logs and exec use. The body is streamed chunk by chunk: the next
 * chunk is read only once gRPC accepted the last one, so an upload never sits in memory whole.
 * Answers an `ImageLoadResult` with what the node stored.
 */
export async function nodeImageLoad(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  nodeName: string,
): Promise<void> {
  if (req.method !== 'POST') {
    throw new BosunError(ErrorCode.MethodNotAllowed, `${req.method} is not allowed on node images`);
  }
  const dialer = ctx.nodes;
  if (!dialer)
    throw new BosunError(ErrorCode.Unavailable, 'this api-server does not reach node agents');
  const nodeKind = ctx.registry.byResource('', 'v1', 'nodes');
  if (!nodeKind) throw new BosunError(ErrorCode.Internal, 'nodes are not served');
  // A node that joined with a bootstrap token accepts only its own node token.
  const endpoint = await withNodeToken(
    ctx.store,
    nodeAgentEndpoint(await ctx.store.get(nodeKind.type, '', nodeName)),
  );
  const conn = dialer.connect(endpoint);
  try {
    let failed: ServiceError | undefined;
    let call!: ReturnType<typeof conn.loadImage>;
    const reply = new Promise<LoadImageResponse>((resolve, reject) => {
      call = conn.loadImage((err, r) => {
        if (err) {
          failed = err;
          reject(err);
        } else resolve(r ?? { images: [] });
      });
    });
    reply.catch(() => undefined); // observed below; the upload loop stops on `failed`
    const abort = () => call.cancel();
    req.once('aborted', abort);
    try {
      for await (const chunk of req) {
        if (failed) break;
        if (!call.write({ chunk: chunk as Buffer })) {
          await Promise.race([once(call, 'drain'), reply.catch(() => undefined)]);
        }
      }
      if (!failed) call.end();
      const done = await reply.catch((e: ServiceError) => {
        throw fromNodeError(e);
      });
      sendJson(res, 200, {
        apiVersion: `${NODE_IMAGES_GROUP}/v1`,
        kind: 'ImageLoadResult',
        node: nodeName,
        images: done.images.map((i) => ({ name: i.name, digest: i.digest })),
      });
    } finally {
      req.off('aborted', abort);
      // The rest of an upload the node refused is not read: drop the connection after answering.
      if (!req.readableEnded) res.once('finish', () => req.destroy());
    }
  } finally {
    conn.close();
  }
}
