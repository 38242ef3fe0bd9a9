import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Server,
  ServerCredentials,
  loadPackageDefinition,
  status as GrpcStatus,
  type Metadata,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  GRPC_LOADER_OPTIONS,
  PROTO_FILES,
  type ExecRequest,
  type ExecResponse,
} from '@bosun/proto';
import type { Logger } from '@bosun/common';
import type { ContainerRuntime } from '@bosun/runtime';
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerWritableStream,
} from '@grpc/grpc-js';
import type { ImageStore } from '@bosun/image';
import type {
  LoadImageRequest,
  LoadImageResponse,
  StreamLogsRequest,
  StreamLogsResponse,
} from '@bosun/proto';
import { NodeCallError, type PodLookup } from './container-locator';
import { execSession } from './exec-session';
import { loadImage } from './load-image';
import { selfSignedServingCert, type ServingCert } from './serving-cert';
import { streamLogs } from './stream-logs';

/** Annotation on the Node holding the agent's serving certificate (PEM), which callers pin. */
export const NODE_AGENT_CERT_ANNOTATION = 'bosun.dev/node-agent-serving-cert';

export interface NodeAgentGrpcOptions {
  readonly nodeName: string;
  readonly runtime: ContainerRuntime;
  /** The node's image store, which LoadImage writes to (absent: LoadImage is UNIMPLEMENTED). */
  readonly images?: ImageStore;
  /** The uid of a pod this node runs, by namespace/name (newest wins over stale containers). */
  readonly podLookup?: PodLookup;
  /** The bearer token callers (the api-server) must present. */
  readonly token: string;
  readonly log: Logger;
  /** Serving key pair; a self-signed one for `nodeName` (+ `addresses`) when absent. */
  readonly tls?: ServingCert;
  readonly addresses?: readonly string[];
  /** 0 = any free port. */
  readonly port: number;
  readonly host?: string;
  readonly followPollMs?: number;
}

export interface RunningNodeAgentGrpc {
  readonly port: number;
  readonly certPem: string;
  /** SHA-256 of the certificate's DER, for logs. */
  readonly certSha256: string;
  /** What to merge into the Node so the api-server can reach and verify this endpoint. */
  nodeFields(): { annotations: Record<string, string>; kubeletPort: number };
  stop(): Promise<void>;
}

function authorized(md: Metadata, token: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(md.get('authorization')[0] ?? ''));
  if (!m) return false;
  const given = Buffer.from(m[1]);
  return given.length === token.length && timingSafeEqual(given, token);
}

const asGrpcError = (e: unknown) => ({
  code: e instanceof NodeCallError ? e.code : GrpcStatus.INTERNAL,
  details: e instanceof Error ? e.message : String(e),
});

function serviceDefinition(): ServiceDefinition {
  const pkg = loadPackageDefinition(
    loadSync([...PROTO_FILES], {
      ...GRPC_LOADER_OPTIONS,
      includeDirs: [...GRPC_LOADER_OPTIONS.includeDirs],
    }),
  ) as unknown as {
    bosun: { v1: { NodeAgentService: { service: ServiceDefinition } } };
  };
  return pkg.bosun.v1.NodeAgentService.service;
}

/**
 * The node agent's NodeAgentService over TLS: kubectl logs/exec arrive here from the
 * api-server, authenticated by the cluster token.
 */
export async function startNodeAgentGrpc(
  opts: NodeAgentGrpcOptions,
): Promise<RunningNodeAgentGrpc> {
  const tls = opts.tls ?? (await selfSignedServingCert(opts.nodeName, opts.addresses));
  const token = Buffer.from(opts.token);
  const log = opts.log.child({ component: 'node-agent-grpc' });
  const server = new Server();
  const logDeps = {
    runtime: opts.runtime,
    podLookup: opts.podLookup,
    followPollMs: opts.followPollMs ?? 200,
  };
  server.addService(serviceDefinition(), {
    StreamLogs: (call: ServerWritableStream<StreamLogsRequest, StreamLogsResponse>) => {
      if (!authorized(call.metadata, token)) {
        call.emit('error', { code: GrpcStatus.UNAUTHENTICATED, details: 'Unauthorized' });
        return;
      }
      streamLogs(logDeps, call).catch((e: unknown) => call.emit('error', asGrpcError(e)));
    },
    Exec: (call: ServerDuplexStream<ExecRequest, ExecResponse>) => {
      if (!authorized(call.metadata, token)) {
        call.emit('error', { code: GrpcStatus.UNAUTHENTICATED, details: 'Unauthorized' });
        return;
      }
      execSession({ runtime: opts.runtime, podLookup: opts.podLookup, log }, call);
    },
    LoadImage: (
      call: ServerReadableStream<LoadImageRequest, LoadImageResponse>,
      callback: sendUnaryData<LoadImageResponse>,
    ) => {
      if (!authorized(call.metadata, token)) {
        callback({ code: GrpcStatus.UNAUTHENTICATED, details: 'Unauthorized' });
        return;
      }
      loadImage({ images: opts.images, log }, call).then(
        (reply) => callback(null, reply),
        (e: unknown) => callback(asGrpcError(e)),
      );
    },
  });
  const creds = ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }],
    false,
  );
  const host = opts.host ?? '0.0.0.0';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${opts.port}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  const der = Buffer.from(tls.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const certSha256 = createHash('sha256').update(der).digest('hex');
  log.info({ port, certSha256 }, 'node agent gRPC (logs, exec) serving');
  return {
    port,
    certPem: tls.certPem,
    certSha256,
    nodeFields: () => ({
      annotations: { [NODE_AGENT_CERT_ANNOTATION]: tls.certPem },
      kubeletPort: port,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Followed logs and exec sessions would hold a graceful shutdown open forever.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      }),
  };
}
