import { BosunError, ErrorCode } from '@bosun/common';

export function notFound(kind: 'sandbox' | 'container', id: string): BosunError {
  return new BosunError(ErrorCode.NotFound, `${kind} ${id} not found`, { context: { kind, id } });
}

export function invalid(message: string, context: Record<string, unknown> = {}): BosunError {
  return new BosunError(ErrorCode.Invalid, message, { context });
}

export function conflict(message: string, context: Record<string, unknown> = {}): BosunError {
  return new BosunError(ErrorCode.Conflict, message, { context });
}

export function internal(message: string, cause?: unknown, context: Record<string, unknown> = {}) {
  return new BosunError(ErrorCode.Internal, message, { cause, context });
}

export function unavailable(message: string, cause?: unknown): BosunError {
  return new BosunError(ErrorCode.Unavailable, message, { cause, retryable: false });
}
