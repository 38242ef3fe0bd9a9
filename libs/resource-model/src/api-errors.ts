import { BosunError, ErrorCode, type FieldCause } from '@bosun/common';

/**
 * Constructors for the errors the API layer answers with, carrying the context `toStatus` needs to
 * print the exact Kubernetes messages (`pods "x" not found`, `Pod "x" is invalid: ...`).
 */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

/** `pods` for the core group, `deployments.apps` otherwise, as the real server prints it. */
export const qualifiedResource = (gr: GroupResource): string =>
  gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;

export const qualifiedKind = (group: string, kind: string): string =>
  group === '' ? kind : `${kind}.${group}`;

export const FieldReason = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  TypeInvalid: 'FieldValueTypeInvalid',
  NotFound: 'FieldValueNotFound',
  Unknown: 'FieldValueUnknown',
  UnknownField: 'FieldValueUnknownField',
} as const;

const render = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'null');

/** Field causes in Kubernetes' wording: the message is the part after `field: `. */
export const fieldError = {
  required: (field: string, detail = ''): FieldCause => ({
    field,
    reason: FieldReason.Required,
    message: detail === '' ? 'Required value' : `Required value: ${detail}`,
  }),
  invalid: (field: string, value: unknown, detail: string): FieldCause => ({
    field,
    reason: FieldReason.Invalid,
    message: `Invalid value: ${render(value)}: ${detail}`,
  }),
  notSupported: (field: string, value: unknown, allowed: readonly string[]): FieldCause => ({
    field,
    reason: FieldReason.NotSupported,
    message: `Unsupported value: ${render(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): FieldCause => ({
    field,
    reason: FieldReason.Forbidden,
    message: `Forbidden: ${detail}`,
  }),
  tooLong: (field: string, max: number): FieldCause => ({
    field,
    reason: FieldReason.TooLong,
    message: `Too long: may not be more than ${max} bytes`,
  }),
  duplicate: (field: string, value: unknown): FieldCause => ({
    field,
    reason: FieldReason.Duplicate,
    message: `Duplicate value: ${render(value)}`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldCause => ({
    field,
    reason: FieldReason.TypeInvalid,
    message: `Invalid value: ${render(value)}: ${detail}`,
  }),
  unknownField: (field: string): FieldCause => ({
    field,
    reason: FieldReason.UnknownField,
    message: `unknown field "${field}"`,
  }),
};

export const notFound = (gr: GroupResource, name: string): BosunError =>
  new BosunError(ErrorCode.NotFound, `${qualifiedResource(gr)} "${name}" not found`, {
    context: { group: gr.group, kind: gr.resource, name },
  });

export const alreadyExists = (gr: GroupResource, name: string): BosunError =>
  new BosunError(ErrorCode.AlreadyExists, `${qualifiedResource(gr)} "${name}" already exists`, {
    context: { group: gr.group, kind: gr.resource, name },
  });

export const conflict = (
  gr: GroupResource,
  name: string,
  detail = 'the object has been modified; please apply your changes to the latest version and try again',
): BosunError =>
  new BosunError(
    ErrorCode.Conflict,
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`,
    { context: { group: gr.group, kind: gr.resource, name } },
  );

/** The joined message of an Invalid error: one cause inline, several in brackets. */
export function invalidMessage(
  kind: string,
  group: string,
  name: string,
  causes: readonly FieldCause[],
): string {
  const parts = causes.map((c) => (c.field === '' ? c.message : `${c.field}: ${c.message}`));
  const body = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return `${qualifiedKind(group, kind)} "${name}" is invalid: ${body}`;
}

export const invalid = (
  kind: string,
  group: string,
  name: string,
  causes: readonly FieldCause[],
): BosunError =>
  new BosunError(ErrorCode.Invalid, invalidMessage(kind, group, name, causes), {
    causes,
    context: { group, kind, name },
  });

export const badRequest = (message: string, cause?: unknown): BosunError =>
  new BosunError(ErrorCode.BadRequest, message, { cause });

/** 410 for a resourceVersion older than the compaction horizon (reason `Expired`). */
export const expired = (message = 'too old resource version'): BosunError =>
  new BosunError(ErrorCode.Gone, message, { context: { reason: 'Expired' } });

export const methodNotSupported = (gr: GroupResource, verb: string): BosunError =>
  new BosunError(
    ErrorCode.MethodNotAllowed,
    `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    {
      context: { group: gr.group, kind: gr.resource },
    },
  );

export const tooManyRequests = (message: string, retryAfterSeconds: number): BosunError =>
  new BosunError(ErrorCode.TooManyRequests, message, { context: { retryAfterSeconds } });

/** 403: `pods "x" is forbidden: <reason>` (`pods is forbidden: ...` for collections). */
export const forbidden = (gr: GroupResource, name: string, reason: string): BosunError =>
  new BosunError(
    ErrorCode.Forbidden,
    `${qualifiedResource(gr)}${name === '' ? '' : ` "${name}"`} is forbidden: ${reason}`,
    { context: { group: gr.group, kind: gr.resource, ...(name === '' ? {} : { name }) } },
  );

/** The RBAC-style reason of a 403 for a user, verb and resource. */
export const cannotMessage = (
  user: string,
  verb: string,
  gr: GroupResource,
  namespace: string,
): string =>
  `User "${user}" cannot ${verb} resource "${gr.resource}" in API group "${gr.group}"${
    namespace === '' ? ' at the cluster scope' : ` in the namespace "${namespace}"`
  }`;

export const unauthorized = (message = 'Unauthorized'): BosunError =>
  new BosunError(ErrorCode.Unauthorized, message);

/** 504 with a retry hint, as for a request the server gave up waiting on. */
export const timeout = (message: string, retryAfterSeconds = 1): BosunError =>
  new BosunError(ErrorCode.Timeout, `Timeout: ${message}`, { context: { retryAfterSeconds } });

export const serviceUnavailable = (message: string, retryAfterSeconds = 1): BosunError =>
  new BosunError(ErrorCode.Unavailable, message, { context: { retryAfterSeconds } });

export const requestEntityTooLarge = (limitBytes: number): BosunError =>
  new BosunError(
    ErrorCode.RequestEntityTooLarge,
    `Request entity too large: limit is ${limitBytes}`,
  );
