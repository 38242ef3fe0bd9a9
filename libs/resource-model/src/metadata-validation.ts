import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { isObj, text } from './object-access';

/**
 * Kubernetes' naming rules. The explanations are Bosun's own wording; the rules (RFC 1123 / 1035
 * character sets and lengths, qualified names for label keys) are Kubernetes'.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export const NameRule = {
  Subdomain: 'subdomain',
  Label: 'label',
  Dns1035: 'dns1035',
  Path: 'path',
} as const;
export type NameRule = (typeof NameRule)[keyof typeof NameRule];

/** Problems with a name under a rule, empty when valid. */
export function nameProblems(name: string, rule: NameRule): string[] {
  if (rule === NameRule.Path) {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    return /[/%]/.test(name) ? [`may not contain '/' or '%'`] : [];
  }
  const spec = {
    subdomain: [
      DNS1123_SUBDOMAIN,
      253,
      "a lowercase RFC 1123 subdomain: lower-case alphanumerics, '-' or '.', starting and ending alphanumeric",
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'",
    ],
    label: [
      DNS1123_LABEL,
      63,
      "a lowercase RFC 1123 label: lower-case alphanumerics or '-', starting and ending alphanumeric",
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?'",
    ],
    dns1035: [
      DNS1035_LABEL,
      63,
      "a DNS-1035 label: lower-case alphanumerics or '-', starting with a letter and ending alphanumeric",
      "'[a-z]([-a-z0-9]*[a-z0-9])?'",
    ],
  } as const;
  const [re, max, what, pattern] = spec[rule];
  const out: string[] = [];
  if (name.length > max) out.push(`must be no more than ${max} characters`);
  if (!re.test(name)) out.push(`must be ${what} (regex used for validation is ${pattern})`);
  return out;
}

/** Label keys and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63 chars. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ["a qualified name must be '[prefix/]name' with at most one '/'"];
  const name = parts[parts.length - 1] ?? '';
  const out: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') out.push('prefix part must be non-empty');
    else out.push(...nameProblems(prefix, NameRule.Subdomain).map((p) => `prefix part ${p}`));
  }
  if (name === '') out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME_PART.test(name)) {
    out.push(
      "name part must consist of alphanumerics, '-', '_' or '.', starting and ending alphanumeric",
    );
  }
  return out;
}

function labelCauses(labels: unknown, field: string): FieldCause[] {
  if (!isObj(labels)) return [];
  const out: FieldCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const p of qualifiedNameProblems(k)) out.push(fieldError.invalid(field, k, p));
    const value = text(v);
    if (value.length > 63)
      out.push(fieldError.invalid(`${field}`, value, 'must be no more than 63 characters'));
    else if (!LABEL_VALUE.test(value)) {
      out.push(
        fieldError.invalid(
          field,
          value,
          "a label value must be empty or alphanumerics, '-', '_' or '.', starting and ending alphanumeric",
        ),
      );
    }
  }
  return out;
}

function annotationCauses(annotations: unknown): FieldCause[] {
  if (!isObj(annotations)) return [];
  const out: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const p of qualifiedNameProblems(k.toLowerCase()))
      out.push(fieldError.invalid('metadata.annotations', k, p));
    total += Buffer.byteLength(k) + Buffer.byteLength(text(v));
  }
  if (total > MAX_ANNOTATIONS_BYTES)
    out.push(fieldError.tooLong('metadata.annotations', MAX_ANNOTATIONS_BYTES));
  return out;
}

/** ObjectMeta rules: name (per the kind's rule), namespace, labels, annotations. */
export function metadataCauses(meta: unknown, rule: NameRule, namespaced: boolean): FieldCause[] {
  if (!isObj(meta)) return [fieldError.required('metadata')];
  const out: FieldCause[] = [];
  const name = meta['name'];
  if (typeof name !== 'string' || name === '') {
    if (typeof meta['generateName'] !== 'string' || meta['generateName'] === '') {
      out.push(fieldError.required('metadata.name', 'name or generateName is required'));
    }
  } else {
    for (const p of nameProblems(name, rule))
      out.push(fieldError.invalid('metadata.name', name, p));
  }
  const ns = meta['namespace'];
  if (namespaced && typeof ns === 'string' && ns !== '') {
    for (const p of nameProblems(ns, NameRule.Label))
      out.push(fieldError.invalid('metadata.namespace', ns, p));
  } else if (!namespaced && typeof ns === 'string' && ns !== '') {
    out.push(fieldError.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  out.push(...labelCauses(meta['labels'], 'metadata.labels'));
  out.push(...annotationCauses(meta['annotations']));
  return out;
}

export const labelSelectorCauses = labelCauses;
