import { type JsonSchema, refName } from './json-schema';
import { parseDefinition } from './dts-schema-reader';
import { applyPatchMetadata } from './patch-metadata';

const cache = new Map<string, JsonSchema>();

/** One definition with its patch metadata, read once. */
export function definition(name: string): JsonSchema {
  let d = cache.get(name);
  if (d === undefined) {
    d = applyPatchMetadata(name, parseDefinition(name));
    cache.set(name, d);
  }
  return d;
}

/** Follows `$ref`s until a concrete schema. */
export function resolveSchema(s: JsonSchema | undefined): JsonSchema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref !== undefined && i < 8; i++) cur = definition(refName(cur.$ref));
  return cur;
}

/** Every definition reachable from the roots, keyed by name (for OpenAPI documents). */
export function closure(roots: readonly string[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const todo = [...roots];
  while (todo.length > 0) {
    const name = todo.pop() as string;
    if (out[name] !== undefined) continue;
    const d = definition(name);
    out[name] = d;
    visitRefs(d, (r) => {
      if (out[r] === undefined) todo.push(r);
    });
  }
  return out;
}

function visitRefs(s: JsonSchema, f: (name: string) => void): void {
  if (s.$ref !== undefined) f(refName(s.$ref));
  if (s.items !== undefined) visitRefs(s.items, f);
  if (typeof s.additionalProperties === 'object') visitRefs(s.additionalProperties, f);
  for (const p of Object.values(s.properties ?? {})) visitRefs(p, f);
}
