import { BosunError, ErrorCode, type FieldCause } from '@bosun/common';
import { badRequest, invalid, qualifiedResource } from './store-errors';
import type { ResourceType, StoredObject } from './contract/objects';

/** Kubernetes' limit on a stored object (etcd's request limit): 1.5 MiB. */
export const MAX_OBJECT_BYTES = 1_572_864;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Subdomain(v: string): boolean {
  return v.length > 0 && v.length <= 253 && DNS1123_SUBDOMAIN.test(v);
}

export function isDns1123Label(v: string): boolean {
  return v.length > 0 && v.length <= 63 && DNS1123_LABEL.test(v);
}

function nameCause(name: string): FieldCause | undefined {
  if (name === '')
    return {
      field: 'metadata.name',
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
    };
  if (isDns1123Subdomain(name)) return undefined;
  return {
    field: 'metadata.name',
    reason: 'FieldValueInvalid',
    message:
      `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case ` +
      `alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` +
      (name.length > 253 ? ' (must be no more than 253 characters)' : ''),
  };
}

/** Checks the key of an object about to be written; throws Invalid/BadRequest naming the field. */
export function validateKey(type: ResourceType, namespace: string, name: string): void {
  const causes: FieldCause[] = [];
  const nc = nameCause(name);
  if (nc) causes.push(nc);
  if (type.namespaced) {
    if (namespace === '') {
      causes.push({
        field: 'metadata.namespace',
        reason: 'FieldValueRequired',
        message: 'Required value',
      });
    } else if (!isDns1123Label(namespace)) {
      causes.push({
        field: 'metadata.namespace',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(namespace)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
      });
    }
  } else if (namespace !== '') {
    throw badRequest(
      `${qualifiedResource(type)} is not namespaced: namespace must be empty, got ${JSON.stringify(namespace)}`,
    );
  }
  if (causes.length) throw invalid(type, name, causes);
}

/** For reads and deletes: the namespace argument must fit the scope of the type. */
export function validateScope(type: ResourceType, namespace: string): void {
  if (type.namespaced && namespace === '') {
    throw badRequest(`${qualifiedResource(type)} is namespaced: a namespace is required`);
  }
  if (!type.namespaced && namespace !== '') {
    throw badRequest(
      `${qualifiedResource(type)} is not namespaced: namespace must be empty, got ${JSON.stringify(namespace)}`,
    );
  }
}

export function validateShape(type: ResourceType, obj: StoredObject): void {
  if (
    obj === null ||
    typeof obj !== 'object' ||
    obj.metadata === null ||
    typeof obj.metadata !== 'object'
  ) {
    throw badRequest(`${qualifiedResource(type)}: object must have metadata`);
  }
  const labels = obj.metadata.labels;
  if (labels === undefined) return;
  // Selectors compare strings; a non-string label would silently never match.
  const bad =
    labels === null || typeof labels !== 'object' || Array.isArray(labels)
      ? 'metadata.labels'
      : Object.entries(labels).find(([, v]) => typeof v !== 'string')?.[0];
  if (bad !== undefined) {
    const field = bad === 'metadata.labels' ? bad : `metadata.labels[${bad}]`;
    throw invalid(type, obj.metadata.name ?? '', [
      {
        field,
        reason: 'FieldValueInvalid',
        message: 'Invalid value: labels must map strings to strings',
      },
    ]);
  }
}

/*
 * Postgres jsonb cannot hold NUL characters or unpaired surrogates. JSON.stringify escapes exactly
 * those as \u0000 / \udXXX (paired surrogates stay raw), so one scan of the serialized text finds
 * them; an odd run of backslashes before the `u` means a real escape, not an escaped backslash.
 */
const UNSTORABLE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** Serializes once and enforces the size limit; the JSON is reused by the writer. */
export function checkSize(type: ResourceType, name: string, json: string): void {
  if (UNSTORABLE.test(json)) {
    throw badRequest(
      `${qualifiedResource(type)} "${name}": strings must not contain NUL characters or unpaired UTF-16 surrogates`,
    );
  }
  // A UTF-8 byte is at most 3 per UTF-16 unit: skip the exact count for the common small object.
  if (json.length * 3 <= MAX_OBJECT_BYTES) return;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_OBJECT_BYTES) {
    throw new BosunError(
      ErrorCode.RequestEntityTooLarge,
      `${qualifiedResource(type)} "${name}" is too large: ${bytes} bytes exceeds the limit of ${MAX_OBJECT_BYTES}`,
      { context: { bytes, limit: MAX_OBJECT_BYTES } },
    );
  }
}
