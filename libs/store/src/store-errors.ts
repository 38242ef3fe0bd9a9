import { BosunError, ErrorCode, type FieldCause } from '@bosun/common';
import type { ResourceType } from './contract/objects';

/** `pods` or `deployments.apps`, as Kubernetes names a resource in its messages. */
export function qualifiedResource(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

export function notFound(type: ResourceType, name: string): BosunError {
  return new BosunError(ErrorCode.NotFound, `${qualifiedResource(type)} "${name}" not found`, {
    context: { resource: qualifiedResource(type), name },
  });
}

export function alreadyExists(type: ResourceType, name: string): BosunError {
  return new BosunError(
    ErrorCode.AlreadyExists,
    `${qualifiedResource(type)} "${name}" already exists`,
    {
      context: { resource: qualifiedResource(type), name },
    },
  );
}

export function conflict(type: ResourceType, name: string, detail?: string): BosunError {
  const msg =
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ` +
    (detail ??
      'the object has been modified; please apply your changes to the latest version and try again');
  return new BosunError(ErrorCode.Conflict, msg, {
    context: { resource: qualifiedResource(type), name },
  });
}

export function invalid(type: ResourceType, name: string, causes: FieldCause[]): BosunError {
  const detail = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new BosunError(
    ErrorCode.Invalid,
    `${qualifiedResource(type)} "${name}" is invalid: ${detail}`,
    {
      causes,
      context: { resource: qualifiedResource(type), name },
    },
  );
}

export function badRequest(message: string, cause?: unknown): BosunError {
  return new BosunError(ErrorCode.BadRequest, message, { cause });
}

export const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue parameter from the list result.';

export function gone(message: string, compacted: number): BosunError {
  return new BosunError(ErrorCode.Gone, message, { context: { compactedRevision: compacted } });
}

/** Retry hint of a "Too large resource version" answer, in seconds (kube-apiserver's too). */
const TOO_LARGE_RETRY_SECONDS = 1;

/**
 * A revision past the log's head was asked for: 504 Timeout with a retry hint and the cause
 * `ResourceVersionTooLarge`, which is how Kubernetes clients (client-go's reflector) recognise it.
 */
export function tooLargeResourceVersion(requested: number, current: number): BosunError {
  return new BosunError(
    ErrorCode.Timeout,
    `Timeout: Too large resource version: ${requested}, current: ${current}`,
    {
      context: { requested, current, retryAfterSeconds: TOO_LARGE_RETRY_SECONDS },
      causes: [
        { field: '', reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
      ],
    },
  );
}

export function unavailable(message: string, cause?: unknown): BosunError {
  return new BosunError(ErrorCode.Unavailable, message, { cause, retryable: true });
}
