/**
 * One root error class for every Bosun library boundary. The code decides the gRPC status, the
 * HTTP status and the Kubernetes `Status.reason` an API layer answers with, so bad input never
 * surfaces as a 500.
 */
export const ErrorCode = {
  Invalid: 'Invalid',
  BadRequest: 'BadRequest',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  MethodNotAllowed: 'MethodNotAllowed',
  UnsupportedMediaType: 'UnsupportedMediaType',
  TooManyRequests: 'TooManyRequests',
  Unavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
  Internal: 'InternalError',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** gRPC status codes (numeric, as on the wire). */
const GRPC: Record<ErrorCode, number> = {
  Invalid: 3,
  BadRequest: 3,
  NotFound: 5,
  AlreadyExists: 6,
  Conflict: 10,
  Gone: 11,
  RequestEntityTooLarge: 8,
  Unauthorized: 16,
  Forbidden: 7,
  MethodNotAllowed: 12,
  UnsupportedMediaType: 3,
  TooManyRequests: 8,
  ServiceUnavailable: 14,
  Timeout: 4,
  InternalError: 13,
};

const HTTP: Record<ErrorCode, number> = {
  Invalid: 422,
  BadRequest: 400,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  Unauthorized: 401,
  Forbidden: 403,
  MethodNotAllowed: 405,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  Timeout: 504,
  InternalError: 500,
};

/** A field-level cause, as in Kubernetes `Status.details.causes`. */
export interface FieldCause {
  readonly field: string;
  readonly reason: string;
  readonly message: string;
}

export interface BosunErrorOptions {
  readonly context?: Record<string, unknown>;
  readonly causes?: readonly FieldCause[];
  readonly cause?: unknown;
  readonly retryable?: boolean;
}

export class BosunError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly causes: readonly FieldCause[];
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: BosunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.causes = options.causes ?? [];
    this.retryable =
      options.retryable ??
      (code === ErrorCode.Unavailable ||
        code === ErrorCode.Timeout ||
        code === ErrorCode.TooManyRequests);
  }

  get httpStatus(): number {
    return HTTP[this.code];
  }

  get grpcStatus(): number {
    return GRPC[this.code];
  }
}

export const isBosunError = (e: unknown, code?: ErrorCode): e is BosunError =>
  e instanceof BosunError && (code === undefined || e.code === code);
