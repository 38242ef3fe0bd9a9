import { badRequest } from '../store-errors';

export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export type FieldSelector = readonly FieldRequirement[];

/** Fields every resource can be selected on; others come from StoreOptions.indexedFields. */
export const BASE_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/** Splits on unescaped `sep`; `\` escapes the next character (Kubernetes field selector escaping). */
function splitEscaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  return parts;
}

function unescape(s: string, src: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out += s[i];
      continue;
    }
    const n = s[i + 1];
    if (n !== '\\' && n !== ',' && n !== '=' && n !== '!') {
      throw badRequest(`invalid field selector ${JSON.stringify(src)}: invalid escape sequence`);
    }
    out += n;
    i++;
  }
  return out;
}

function requirement(part: string, src: string): FieldRequirement {
  const m = /^(.*?)(!=|==|=)(.*)$/s.exec(part);
  if (!m)
    throw badRequest(
      `invalid field selector ${JSON.stringify(src)}: ${JSON.stringify(part)} has no operator`,
    );
  const field = m[1].trim();
  if (field === '' || /[\\\s]/.test(field)) {
    throw badRequest(
      `invalid field selector ${JSON.stringify(src)}: invalid field name ${JSON.stringify(field)}`,
    );
  }
  return { field, op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3], src) };
}

/**
 * Parses `a=b,c!=d`; rejects fields not in `allowed` with Kubernetes' "field label not supported".
 */
export function parseFieldSelector(
  selector: string | undefined,
  allowed?: readonly string[],
): FieldSelector {
  if (!selector || selector.trim() === '') return [];
  const reqs = splitEscaped(selector, ',').map((p) => requirement(p, selector));
  if (allowed) {
    const bad = reqs.find((r) => !allowed.includes(r.field));
    if (bad) throw badRequest(`field label not supported: ${bad.field}`);
  }
  return reqs;
}

/** Reads a dotted path; a missing field reads as '' (as Kubernetes' field sets do). */
export function fieldValue(obj: unknown, field: string): string {
  let cur: unknown = obj;
  for (const p of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

export function matchesFields(obj: unknown, sel: FieldSelector): boolean {
  return sel.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}
