import {
  credentials,
  loadPackageDefinition,
  Metadata,
  status as GrpcStatus,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { BosunError, ErrorCode } from '@bosun/common';
import {
  GRPC_LOADER_OPTIONS,
  PROTO_FILES,
  type ExecRequest,
  type ExecResponse,
  type LoadImageRequest,
  type LoadImageResponse,
  type StreamLogsRequest,
  type StreamLogsResponse,
} from '@bosun/proto';
import type { DialableNode } from './node-endpoint';

/** A connection to one node agent's NodeAgentService; `close()` when the stream is over. */
export interface NodeAgentConnection {
  streamLogs(req: StreamLogsRequest): ClientReadableStream<StreamLogsResponse>;
  exec(): ClientDuplexStream<ExecRequest, ExecResponse>;
  /** A client-streaming LoadImage call: write archive chunks, `end()`, then `done` answers. */
  loadImage(
    done: (err: ServiceError | null, reply?: LoadImageResponse) => void,
  ): ClientWritableStream<LoadImageRequest>;
  close(): void;
}

type UnaryCallback<T> = (err: ServiceError | null, reply?: T) => void;

interface RawClient {
  StreamLogs(req: StreamLogsRequest, md: Metadata): ClientReadableStream<StreamLogsResponse>;
  Exec(md: Metadata): ClientDuplexStream<ExecRequest, ExecResponse>;
  LoadImage(
    md: Metadata,
    cb: UnaryCallback<LoadImageResponse>,
  ): ClientWritableStream<LoadImageRequest>;
  close(): void;
}

type ClientCtor = new (
  address: string,
  creds: ReturnType<typeof credentials.createSsl>,
  options: Record<string, string>,
) => RawClient;

let ctor: ClientCtor | undefined;

function clientCtor(): ClientCtor {
  if (!ctor) {
    const def = loadSync([...PROTO_FILES], {
      ...GRPC_LOADER_OPTIONS,
      includeDirs: [...GRPC_LOADER_OPTIONS.includeDirs],
    });
    const pkg = loadPackageDefinition(def) as unknown as {
      bosun: { v1: { NodeAgentService: ClientCtor } };
    };
    ctor = pkg.bosun.v1.NodeAgentService;
  }
  return ctor;
}

/**
 * Dials node agents, presenting each the node's own token (never the api-server's). TLS trusts
 * exactly the certificate the node published in its Node object (a pin), so no host name has to
 * match the address dialled.
 */
export class NodeAgentDialer {
  connect(endpoint: DialableNode): NodeAgentConnection {
    const creds = credentials.createSsl(Buffer.from(endpoint.certPem), null, null, {
      checkServerIdentity: () => undefined,
    });
    const host = endpoint.address.includes(':') ? `[${endpoint.address}]` : endpoint.address;
    // SNI must be a name, not an IP (RFC 6066); the pinned certificate is checked either way.
    const client = new (clientCtor())(`${host}:${endpoint.port}`, creds, {
      'grpc.ssl_target_name_override': endpoint.nodeName,
      'grpc.default_authority': endpoint.nodeName,
    });
    const md = () => {
      const m = new Metadata();
      m.set('authorization', `Bearer ${endpoint.token}`);
      return m;
    };
    return {
      streamLogs: (req) => client.StreamLogs(req, md()),
      exec: () => client.Exec(md()),
      loadImage: (done) => client.LoadImage(md(), done),
      close: () => client.close(),
    };
  }
}

/** A node agent's gRPC failure as the Kubernetes error a client should see. */
export function fromNodeError(e: ServiceError): BosunError {
  const message = e.details || e.message;
  switch (e.code) {
    case GrpcStatus.NOT_FOUND:
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.FAILED_PRECONDITION:
      return new BosunError(ErrorCode.BadRequest, message);
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.UNAUTHENTICATED:
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new BosunError(ErrorCode.Unavailable, `error dialing backend: ${message}`, {
        context: { public: true },
      });
    default:
      return new BosunError(ErrorCode.Internal, message, { context: { public: true } });
  }
}
