import { join } from 'node:path';
import { Transport, type GrpcOptions } from '@nestjs/microservices';

/**
 * Where the .proto sources live at run time. NestJS's gRPC transport parses them with
 * @grpc/proto-loader when a server or client starts; from src/ and dist/ alike it is the
 * repository's proto/ (images copy it next to libs/).
 */
export const PROTO_ROOT = join(__dirname, '..', '..', '..', 'proto');

export const GRPC_PACKAGE = 'bosun.v1';

export const PROTO_FILES = ['bosun/v1/resource.proto', 'bosun/v1/internal.proto'] as const;

/**
 * proto-loader settings that produce exactly the shapes ts-proto generated (buf.gen.yaml):
 * camelCase keys, int64 as string (forceLong=string), enums as numbers, unset fields present
 * with their defaults, bytes as Buffer (a Uint8Array).
 */
export const GRPC_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
} as const;

/** NestJS gRPC transport options for serving or calling Bosun's services at `url` (host:port). */
export function bosunGrpcOptions(url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url,
      package: GRPC_PACKAGE,
      protoPath: [...PROTO_FILES],
      loader: { ...GRPC_LOADER_OPTIONS, includeDirs: [...GRPC_LOADER_OPTIONS.includeDirs] },
    },
  };
}
