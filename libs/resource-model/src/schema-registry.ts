import { type JsonSchema, REF_PREFIX, refName } from './json-schema';
import { parseDefinition } from './dts-schema-reader';
import { applyPatchMetadata } from './patch-metadata';

const cache = new Map<string, JsonSchema>();
const registered = new Map<string, JsonSchema>();

const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** Adds a definition no npm package ships (a Bosun kind); its `<name>List` is derived. */
export function registerDefinition(name: string, schema: JsonSchema): void {
  registered.set(name, schema);
  cache.delete(name);
  cache.delete(`${name}List`);
}

function listOf(item: string): JsonSchema {
  return {
    type: 'object',
    description: `A list of ${item.slice(item.lastIndexOf('.') + 1)} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: REF_PREFIX + LIST_META },
      items: { type: 'array', items: { $ref: REF_PREFIX + item } },
    },
  };
}

function load(name: string): JsonSchema {
  const own = registered.get(name);
  if (own !== undefined) return own;
  if (name.endsWith('List') && registered.has(name.slice(0, -4))) return listOf(name.slice(0, -4));
  try {
    return parseDefinition(name);
  } catch {
    // A definition nobody ships stays open rather than breaking whole OpenAPI documents;
    // the registry spec checks that every built-in kind resolves to a real schema.
    return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

/** One definition with its patch metadata, read once. */
export function definition(name: string): JsonSchema {
  let d = cache.get(name);
  if (d === undefined) {
    d = applyPatchMetadata(name, load(name));
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
