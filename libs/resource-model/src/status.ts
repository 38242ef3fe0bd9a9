import { BosunError, ErrorCode, isBosunError } from '@bosun/common';

/** `metav1.StatusCause` as it goes on the wire. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** `metav1.Status`, the body of every error answer (and of some successful deletes). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Status.reason per error code; Gone is `Expired` unless the error says otherwise. */
const REASON: Record<ErrorCode, string> = {
  Invalid: 'Invalid',
  BadRequest: 'BadRequest',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Expired',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  MethodNotAllowed: 'MethodNotAllowed',
  UnsupportedMediaType: 'UnsupportedMediaType',
  TooManyRequests: 'TooManyRequests',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
  InternalError: 'InternalError',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function detailsOf(e: BosunError): StatusDetails | undefined {
  const d: StatusDetails = {};
  const name = str(e.context['name']);
  if (name !== undefined) d.name = name;
  // Other libraries (the store) name the target as a qualified resource: `deployments.apps`.
  const qualified = str(e.context['resource']);
  const dot = qualified?.indexOf('.') ?? -1;
  const group =
    str(e.context['group']) ??
    (qualified !== undefined && dot > 0 ? qualified.slice(dot + 1) : undefined);
  if (group !== undefined && group !== '') d.group = group;
  const kind =
    str(e.context['kind']) ??
    (qualified !== undefined && dot > 0 ? qualified.slice(0, dot) : qualified);
  if (kind !== undefined) d.kind = kind;
  const uid = str(e.context['uid']);
  if (uid !== undefined) d.uid = uid;
  if (e.causes.length > 0) {
    // An empty field is left out, as Kubernetes' omitempty does (a cause of the whole request).
    d.causes = e.causes.map((c) =>
      c.field === ''
        ? { reason: c.reason, message: c.message }
        : { reason: c.reason, message: c.message, field: c.field },
    );
  }
  const retry = e.context['retryAfterSeconds'];
  if (typeof retry === 'number') d.retryAfterSeconds = retry;
  else if (e.code === ErrorCode.TooManyRequests || e.code === ErrorCode.Unavailable)
    d.retryAfterSeconds = 1;
  return Object.keys(d).length === 0 ? undefined : d;
}

/**
 * Any error to the Kubernetes `Status` body the API answers with. Only BosunErrors speak: anything
 * else becomes a 500 with a generic message, so stack traces and internals never leak.
 */
export function toStatus(error: unknown): Status {
  if (!isBosunError(error)) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'an error on the server has prevented the request from succeeding',
      reason: 'InternalError',
      details: { causes: [{ message: 'Internal error occurred: unexpected server error' }] },
      code: 500,
    };
  }
  const reason = str(error.context['reason']) ?? REASON[error.code];
  const details = detailsOf(error);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.code === ErrorCode.Internal ? internalMessage(error) : error.message,
    reason,
    ...(details === undefined ? {} : { details }),
    code: error.httpStatus,
  };
}

/** Internal errors keep their own message only when it was written for clients. */
const internalMessage = (e: BosunError): string =>
  e.context['public'] === true
    ? e.message
    : 'an error on the server has prevented the request from succeeding';

/** A `Status` of success, e.g. the body of a delete that completed immediately. */
export function successStatus(details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    ...(details === undefined ? {} : { details }),
    code: 200,
  };
}
