import { BosunError, ErrorCode, type FieldCause } from '@bosun/common';

/** The parts of a Kubernetes `Status` body the client reads. */
export interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly name?: string;
    readonly kind?: string;
    readonly causes?: readonly { field?: string; reason?: string; message?: string }[];
    readonly retryAfterSeconds?: number;
  };
}

const BY_HTTP: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  410: ErrorCode.Gone,
  413: ErrorCode.RequestEntityTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.Invalid,
  429: ErrorCode.TooManyRequests,
  503: ErrorCode.Unavailable,
  504: ErrorCode.Timeout,
};

/** A failed answer as a BosunError: 409 splits into AlreadyExists and Conflict by reason. */
export function statusToError(httpStatus: number, body: StatusBody | undefined): BosunError {
  const code =
    httpStatus === 409
      ? body?.reason === 'AlreadyExists'
        ? ErrorCode.AlreadyExists
        : ErrorCode.Conflict
      : (BY_HTTP[httpStatus] ?? ErrorCode.Internal);
  const causes: FieldCause[] = (body?.details?.causes ?? []).map((c) => ({
    field: c.field ?? '',
    reason: c.reason ?? '',
    message: c.message ?? '',
  }));
  return new BosunError(code, body?.message ?? `the server answered HTTP ${httpStatus}`, {
    causes,
    context: {
      httpStatus,
      reason: body?.reason,
      name: body?.details?.name,
      kind: body?.details?.kind,
      retryAfterSeconds: body?.details?.retryAfterSeconds,
    },
  });
}

/**
 * Whether a delete failed on its `preconditions.uid`: the name now holds another object (or none
 * held that uid). kube-apiserver words this Conflict "Precondition failed: UID in precondition";
 * callers that delete one known incarnation treat it as that incarnation being gone.
 */
export function isUidPreconditionFailure(e: unknown): boolean {
  return (
    e instanceof BosunError &&
    e.code === ErrorCode.Conflict &&
    e.message.includes('Precondition failed: UID in precondition')
  );
}
