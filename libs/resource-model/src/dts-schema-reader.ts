import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BosunError, ErrorCode } from '@bosun/common';
import { type JsonSchema, REF_PREFIX } from './json-schema';

/**
 * Reads the upstream Kubernetes type definitions shipped (as generated `.d.ts` files, with the
 * OpenAPI descriptions as JSDoc) by `kubernetes-models` into OpenAPI definitions. Those files are
 * the only machine-readable copy of the schemas an npm package ships: the package's own JSON
 * schemas exist only as precompiled validators. Definitions are read lazily and cached.
 */

const MODELS_ROOT = dirname(dirname(require.resolve('kubernetes-models/v1/Pod')));
const MACHINERY_PKG = resolve(
  dirname(require.resolve('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta')),
  '../../..',
);

/** Leaf types the upstream spec declares as strings with a format. */
const SCALARS: Readonly<Record<string, JsonSchema>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    type: 'string',
    description: 'Quantity is a fixed-point representation of a number (e.g. 100m, 1Gi).',
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    description: 'IntOrString is a type that can hold an int32 or a string.',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
};

/** `<models>/apps/v1/Deployment.d.ts` -> `io.k8s.api.apps.v1.Deployment` (and apimachinery alike). */
export function definitionNameOf(file: string): string {
  const abs = resolve(file).replace(/\.d\.ts$/, '');
  if (abs.startsWith(MACHINERY_PKG + '/')) {
    return `io.k8s.apimachinery.pkg.${abs
      .slice(MACHINERY_PKG.length + 1)
      .split('/')
      .join('.')}`;
  }
  const parts = abs.slice(MODELS_ROOT.length + 1).split('/');
  if (parts.length === 2) return `io.k8s.api.core.${parts.join('.')}`;
  const group = (parts[0] ?? '').split('.')[0];
  return `io.k8s.api.${group}.${parts.slice(1).join('.')}`;
}

/** The `.d.ts` file of a definition name, the inverse of definitionNameOf for the kinds we read. */
export function fileOf(name: string): string {
  const machinery = 'io.k8s.apimachinery.pkg.';
  if (name.startsWith(machinery))
    return join(MACHINERY_PKG, ...name.slice(machinery.length).split('.')) + '.d.ts';
  const [, , , group, version, kind] = name.split('.');
  if (group === 'core') return join(MODELS_ROOT, version ?? '', `${kind}.d.ts`);
  const dir =
    group === 'apps' || group === 'batch' || group === 'autoscaling' || group === 'policy'
      ? group
      : `${group}.k8s.io`;
  return join(MODELS_ROOT, dir ?? '', version ?? '', `${kind}.d.ts`);
}

const cleanDoc = (raw: string): string =>
  raw
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .replace(/\\\*/g, '*')
    .trim();

function importsOf(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    const [, ident, from] = m;
    if (ident === undefined || from === undefined || !ident.startsWith('IIoK8s')) continue;
    const target = from.startsWith('.')
      ? resolve(dirname(file), from)
      : join(MACHINERY_PKG, from.replace('@kubernetes-models/apimachinery/', ''));
    out.set(ident, definitionNameOf(`${target}.d.ts`));
  }
  return out;
}

function typeToSchema(t: string, imports: Map<string, string>): JsonSchema {
  const type = t.trim();
  if (type === 'string' || /^I\w+\["(kind|apiVersion)"\]$/.test(type)) return { type: 'string' };
  if (type === 'number') return { type: 'integer', format: 'int32' };
  if (type === 'boolean') return { type: 'boolean' };
  if (/^"[^"]*"(\s*\|\s*"[^"]*")*$/.test(type)) {
    const values = [...type.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    return values.length === 1 ? { type: 'string' } : { type: 'string', enum: values };
  }
  const array = /^Array<(.*)>$/s.exec(type);
  if (array?.[1] !== undefined) return { type: 'array', items: typeToSchema(array[1], imports) };
  const map = /^\{\s*\[key: string\]: (.*?);\s*\}$/s.exec(type);
  if (map?.[1] !== undefined)
    return { type: 'object', additionalProperties: typeToSchema(map[1], imports) };
  const ref = imports.get(type);
  if (ref !== undefined) return { $ref: REF_PREFIX + ref };
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

/** Parses one generated `.d.ts` file into its definition. */
export function parseDefinition(name: string): JsonSchema {
  const scalar = SCALARS[name];
  if (scalar !== undefined) return scalar;
  const file = fileOf(name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new BosunError(ErrorCode.Internal, `no schema for ${name}`, { cause });
  }
  const imports = importsOf(text, file);
  const iface =
    /(?:\/\*\*([\s\S]*?)\*\/\s*)?export interface I\w+(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/.exec(
      text,
    );
  if (iface === null) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const schema: JsonSchema = { type: 'object' };
  if (iface[1] !== undefined) schema.description = cleanDoc(iface[1]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const prop = /(?:\/\*\*([\s\S]*?)\*\/\s*)?"([^"]+)"(\?)?: (\{[\s\S]*?\n {4}\}|[^;\n]+);/g;
  for (const m of (iface[2] ?? '').matchAll(prop)) {
    const [, doc, key, optional, type] = m;
    if (key === undefined || type === undefined) continue;
    const p = typeToSchema(type, imports);
    properties[key] = doc === undefined ? p : { description: cleanDoc(doc), ...p };
    if (optional === undefined && key !== 'apiVersion' && key !== 'kind') required.push(key);
  }
  if (Object.keys(properties).length === 0)
    return { ...schema, 'x-kubernetes-preserve-unknown-fields': true };
  schema.properties = properties;
  if (required.length > 0) schema.required = required;
  return schema;
}
