import { BosunError, ErrorCode } from '@bosun/common';
import { statusToError, type StatusBody } from './status-error';

/** The trailer in which the api-server sends the Kubernetes Status of a failed call. */
export const STATUS_TRAILER = 'bosun-status-bin';

/** gRPC status codes a call can fail with when no Status trailer came (transport failures). */
const BY_GRPC: Record<number, ErrorCode> = {
  1: ErrorCode.Unavailable, // CANCELLED
  3: ErrorCode.BadRequest,
  4: ErrorCode.Timeout,
  5: ErrorCode.NotFound,
  6: ErrorCode.AlreadyExists,
  7: ErrorCode.Forbidden,
  8: ErrorCode.TooManyRequests,
  10: ErrorCode.Conflict,
  11: ErrorCode.Gone,
  12: ErrorCode.MethodNotAllowed,
  14: ErrorCode.Unavailable,
  16: ErrorCode.Unauthorized,
};

interface GrpcFailure {
  readonly code?: number;
  readonly details?: string;
  readonly message?: string;
  readonly metadata?: { get(key: string): (string | Buffer)[] };
}

/**
 * A failed gRPC call as the same BosunError the REST client throws: from the Status trailer when
 * the api-server sent one (reason, causes, name), else from the gRPC code alone.
 */
export function grpcToBosunError(e: unknown): BosunError {
  if (e instanceof BosunError) return e;
  const f = (e ?? {}) as GrpcFailure;
  const raw = typeof f.metadata?.get === 'function' ? f.metadata.get(STATUS_TRAILER)[0] : undefined;
  if (raw !== undefined) {
    try {
      const status = JSON.parse(Buffer.from(raw).toString('utf8')) as StatusBody;
      const err = statusToError(status.code ?? 500, status);
      return new BosunError(err.code, err.message, {
        causes: err.causes,
        context: { ...err.context, grpcStatus: f.code },
        cause: e,
      });
    } catch {
      // A trailer that is not JSON: fall back to the code.
    }
  }
  const code = BY_GRPC[f.code ?? -1] ?? ErrorCode.Internal;
  return new BosunError(code, f.details || f.message || 'the gRPC call failed', {
    context: { grpcStatus: f.code },
    cause: e,
  });
}
