import { type JsonSchema, REF_PREFIX } from './json-schema';
import { isObj } from './object-access';
import { resolveSchema } from './schema-registry';

function walk(value: unknown, schema: JsonSchema | undefined, path: string, out: string[]): void {
  const s = resolveSchema(schema);
  if (s === undefined || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    if (s.items !== undefined) value.forEach((v, i) => walk(v, s.items, `${path}[${i}]`, out));
    return;
  }
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const child = path === '' ? k : `${path}.${k}`;
    const prop =
      s.properties !== undefined && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    if (prop !== undefined) walk(v, prop, child, out);
    else if (typeof s.additionalProperties === 'object')
      walk(v, s.additionalProperties, child, out);
    else if (s.additionalProperties !== true && s.properties !== undefined) out.push(child);
  }
}

/**
 * The fields of `obj` its schema does not know, as Kubernetes names them
 * (`spec.template.spec.containers[0].imagee`), sorted, for `fieldValidation=Warn|Strict`.
 */
export function findUnknownFields(schemaName: string, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, { $ref: REF_PREFIX + schemaName }, '', out);
  return out.sort();
}
