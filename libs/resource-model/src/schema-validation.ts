import { text } from './object-access';
import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { KIND_MODELS } from './kind-models';

/** The parts of an ajv error the mapping needs. */
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/spec/containers/0/name` -> `spec.containers[0].name`, the way Kubernetes names fields. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

const valueAt = (obj: unknown, pointer: string): unknown => {
  let cur: unknown = obj;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
};

function toCause(e: AjvError, obj: unknown): FieldCause {
  const field = fieldPath(e.instancePath);
  const value = valueAt(obj, e.instancePath);
  switch (e.keyword) {
    case 'required': {
      const missing = text(e.params['missingProperty']);
      return fieldError.required(field === '' ? missing : `${field}.${missing}`);
    }
    case 'enum':
      return fieldError.notSupported(
        field,
        value,
        (e.params['allowedValues'] as string[] | undefined) ?? [],
      );
    case 'type':
      return fieldError.typeInvalid(field, value, `must be of type ${text(e.params['type'])}`);
    default:
      return fieldError.invalid(field, value, e.message ?? e.keyword);
  }
}

const isAjvErrors = (v: unknown): v is AjvError[] =>
  Array.isArray(v) && v.every((e) => typeof e === 'object' && e !== null && 'instancePath' in e);

/**
 * Validates an object against its kind's upstream schema; returns field causes (empty when valid).
 * Kinds without a model validate as valid: the registry decides which kinds exist.
 */
export function schemaCauses(schemaName: string, obj: unknown): FieldCause[] {
  const Model = KIND_MODELS[schemaName];
  if (Model === undefined) return [];
  try {
    new Model(obj as never).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: unknown }).errors;
    if (!isAjvErrors(errors)) throw e;
    // ajv reports a type error on a nullable field twice (type + enum); keep the first per field.
    const seen = new Set<string>();
    return errors
      .map((x) => toCause(x, obj))
      .filter((c) => !seen.has(c.field) && seen.add(c.field) !== undefined);
  }
}
