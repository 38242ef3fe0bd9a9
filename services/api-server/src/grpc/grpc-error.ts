import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { isBosunError } from '@bosun/common';
import { toStatus } from '@bosun/resource-model';

/** The trailer carrying the Kubernetes Status JSON of a failed call (resource.proto). */
export const STATUS_TRAILER = 'bosun-status-bin';

/**
 * A failure as gRPC answers it: the code is BosunError.grpcStatus (anything else is INTERNAL),
 * the details the Status message, and the whole Status (reason, causes...) rides in the
 * `bosun-status-bin` trailer so clients rebuild the same BosunError REST clients get.
 */
export function toGrpcError(e: unknown): Partial<ServiceError> {
  const status = toStatus(e);
  const metadata = new Metadata();
  metadata.set(STATUS_TRAILER, Buffer.from(JSON.stringify(status)));
  return {
    code: isBosunError(e) ? e.grpcStatus : GrpcStatus.INTERNAL,
    details: status.message,
    metadata,
  };
}
