import { BosunError, ErrorCode, type FieldCause } from '@bosun/common';
import { invalid } from './api-errors';
import { metadataUpdateCauses, UPDATE_RULES } from './immutable-fields';
import type { KindInfo } from './kind-definition';
import { KIND_RULES } from './kind-rules';
import { metadataCauses, NameRule } from './metadata-validation';
import { isObj, type Obj, text } from './object-access';
import { schemaCauses } from './schema-validation';
import { findUnknownFields } from './unknown-fields';

/** The `fieldValidation` query parameter: what to do with fields the schema does not know. */
export const FieldValidation = { Ignore: 'Ignore', Warn: 'Warn', Strict: 'Strict' } as const;
export type FieldValidation = (typeof FieldValidation)[keyof typeof FieldValidation];

export interface ValidateOptions {
  /** Defaults to Warn, as the Kubernetes API server does. */
  readonly fieldValidation?: FieldValidation | string;
}

export interface ValidationOutcome {
  /** Warnings for the `Warning` response header (`unknown field "spec.foo"`). */
  readonly warnings: string[];
}

/** Namespaces are RFC 1123 labels, Services DNS-1035 labels, everything else subdomains. */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  'v1/Namespace': NameRule.Label,
  'v1/Service': NameRule.Dns1035,
  'v1/Event': NameRule.Path,
  'events.k8s.io/v1/Event': NameRule.Path,
};

function unknownFieldOutcome(kind: KindInfo, obj: unknown, mode: string): ValidationOutcome {
  if (mode === FieldValidation.Ignore) return { warnings: [] };
  if (mode !== FieldValidation.Warn && mode !== FieldValidation.Strict) {
    throw new BosunError(
      ErrorCode.BadRequest,
      `fieldValidation must be one of Ignore, Warn or Strict, got ${JSON.stringify(mode)}`,
    );
  }
  const unknown = findUnknownFields(kind.schema, obj).map((f) => `unknown field "${f}"`);
  if (mode === FieldValidation.Strict && unknown.length > 0) {
    throw new BosunError(
      ErrorCode.BadRequest,
      `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: strict decoding error: ${unknown.join(', ')}`,
      { context: { group: kind.group, kind: kind.kind } },
    );
  }
  return { warnings: unknown };
}

function fail(kind: KindInfo, obj: Obj, all: FieldCause[]): void {
  if (all.length === 0) return;
  // The upstream schema and Bosun's rules can both catch one problem (a required field): say it once.
  const seen = new Set<string>();
  const causes = all.filter((c) => {
    const key = `${c.field}\u0000${c.reason}\u0000${c.message}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  const meta = isObj(obj['metadata']) ? obj['metadata'] : {};
  const name =
    typeof meta['name'] === 'string' && meta['name'] !== ''
      ? meta['name']
      : text(meta['generateName'] ?? '');
  throw invalid(kind.kind, kind.group, name, causes);
}

function objectCauses(kind: KindInfo, obj: Obj): FieldCause[] {
  const key = `${kind.apiVersion}/${kind.kind}`;
  return [
    ...metadataCauses(obj['metadata'], NAME_RULES[key] ?? NameRule.Subdomain, kind.namespaced),
    ...schemaCauses(kind.schema, obj),
    ...(KIND_RULES[key]?.(obj) ?? []),
  ];
}

/**
 * Validates an object being created: unknown fields per `fieldValidation` (Strict: BadRequest),
 * then the upstream schema and Kubernetes' extra rules (Invalid, 422, with field causes).
 */
export function validateCreate(
  kind: KindInfo,
  obj: unknown,
  opts: ValidateOptions = {},
): ValidationOutcome {
  if (!isObj(obj)) throw new BosunError(ErrorCode.BadRequest, 'the object must be a JSON object');
  const outcome = unknownFieldOutcome(kind, obj, opts.fieldValidation ?? FieldValidation.Warn);
  fail(kind, obj, objectCauses(kind, obj));
  return outcome;
}

/** Validates an update: everything validateCreate checks, plus the kind's immutable fields. */
export function validateUpdate(
  kind: KindInfo,
  obj: unknown,
  old: unknown,
  opts: ValidateOptions = {},
): ValidationOutcome {
  if (!isObj(obj) || !isObj(old))
    throw new BosunError(ErrorCode.BadRequest, 'the object must be a JSON object');
  const outcome = unknownFieldOutcome(kind, obj, opts.fieldValidation ?? FieldValidation.Warn);
  const key = `${kind.apiVersion}/${kind.kind}`;
  fail(kind, obj, [
    ...objectCauses(kind, obj),
    ...metadataUpdateCauses(obj, old),
    ...(UPDATE_RULES[key]?.(obj, old) ?? []),
  ]);
  return outcome;
}
