import { parse } from 'protobufjs';
import { stringify } from 'yaml';
import { OPENAPI_V2_PROTO } from './openapi-v2-proto-schema';

/**
 * `GET /openapi/v2` as gnostic's OpenAPIv2 protobuf, the only form client-go's OpenAPI v2 client
 * (kubectl's client-side validation) reads. The media type kube-openapi answers with; it accepts
 * the older `@` spelling as well.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const OPENAPI_V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export const openApiV2Root = parse(OPENAPI_V2_PROTO, { keepCase: true }).root;
const DOCUMENT = openApiV2Root.lookupType('openapi.v2.Document');

type Json = Record<string, unknown>;
type Msg = Record<string, unknown>;

/**
 * Content negotiation as kube-openapi does it: Accept clauses by falling quality (header order on
 * ties); the first that names the protobuf type wins it, the first JSON or wildcard clause wins
 * JSON, which is also the answer when nothing matches (as Bosun always answered).
 */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  const clauses = (accept ?? '')
    .split(',')
    .map((c, i) => {
      const [type, ...params] = c.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, quality: Number.isFinite(quality) ? quality : 0, i };
    })
    .filter((c) => c.type !== '' && c.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.i - b.i);
  for (const { type } of clauses) {
    if (type === OPENAPI_V2_PROTOBUF || type === OPENAPI_V2_PROTOBUF_DEPRECATED) return true;
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return false;
  }
  return false;
}

const cache = new WeakMap<object, Buffer>();

/** The protobuf encoding of a Swagger 2.0 document, encoded once per document object. */
export function openApiV2Protobuf(doc: Json): Buffer {
  let bytes = cache.get(doc);
  if (bytes === undefined) {
    bytes = Buffer.from(DOCUMENT.encode(documentMessage(doc)).finish());
    cache.set(doc, bytes);
  }
  return bytes;
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const int = (v: unknown): number | undefined =>
  Number.isSafeInteger(v) ? (v as number) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

/** gnostic keeps arbitrary values (defaults, enums, vendor extensions) as their YAML text. */
const anyOf = (v: unknown): Msg => ({ yaml: stringify(v, { lineWidth: 0 }) });
const vendorExtensions = (o: Json): Msg[] =>
  Object.entries(o)
    .filter(([k, v]) => k.startsWith('x-') && v !== undefined)
    .map(([name, v]) => ({ name, value: anyOf(v) }));

function documentMessage(doc: Json): Msg {
  const info = isObject(doc.info) ? doc.info : {};
  return {
    swagger: str(doc.swagger),
    info: {
      title: str(info.title),
      version: str(info.version),
      description: str(info.description),
      vendor_extension: vendorExtensions(info),
    },
    schemes: strings(doc.schemes),
    consumes: strings(doc.consumes),
    produces: strings(doc.produces),
    paths: {
      path: entries(doc.paths)
        .filter(([name]) => !name.startsWith('x-'))
        .map(([name, item]) => ({ name, value: pathItem(isObject(item) ? item : {}) })),
      vendor_extension: isObject(doc.paths) ? vendorExtensions(doc.paths) : [],
    },
    definitions: {
      additional_properties: entries(doc.definitions).map(([name, s]) => ({
        name,
        value: schemaMessage(s),
      })),
    },
    vendor_extension: vendorExtensions(doc),
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItem(item: Json): Msg {
  const out: Msg = { _ref: str(item.$ref), vendor_extension: vendorExtensions(item) };
  for (const m of METHODS) if (isObject(item[m])) out[m] = operation(item[m] as Json);
  if (Array.isArray(item.parameters)) out.parameters = item.parameters.map(parameter);
  return out;
}

function operation(op: Json): Msg {
  return {
    tags: strings(op.tags),
    summary: str(op.summary),
    description: str(op.description),
    operation_id: str(op.operationId),
    produces: strings(op.produces),
    consumes: strings(op.consumes),
    parameters: Array.isArray(op.parameters) ? op.parameters.map(parameter) : [],
    responses: {
      response_code: entries(op.responses)
        .filter(([code]) => !code.startsWith('x-'))
        .map(([name, r]) => ({ name, value: { response: response(isObject(r) ? r : {}) } })),
      vendor_extension: isObject(op.responses) ? vendorExtensions(op.responses) : [],
    },
    schemes: strings(op.schemes),
    deprecated: bool(op.deprecated),
    vendor_extension: vendorExtensions(op),
  };
}

function response(r: Json): Msg {
  return {
    description: str(r.description),
    schema: isObject(r.schema) ? { schema: schemaMessage(r.schema) } : undefined,
    vendor_extension: vendorExtensions(r),
  };
}

function parameter(p: unknown): Msg {
  const q = isObject(p) ? p : {};
  const common = {
    required: bool(q.required),
    in: str(q.in),
    description: str(q.description),
    name: str(q.name),
    type: str(q.type),
    format: str(q.format),
    unique_items: bool(q.uniqueItems),
  };
  let parameter: Msg;
  if (q.in === 'body') {
    const { type: _t, format: _f, unique_items: _u, ...body } = common;
    parameter = {
      body_parameter: {
        ...body,
        schema: schemaMessage(q.schema),
        vendor_extension: vendorExtensions(q),
      },
    };
  } else {
    const kind = {
      query: 'query_parameter_sub_schema',
      path: 'path_parameter_sub_schema',
      header: 'header_parameter_sub_schema',
      formData: 'form_data_parameter_sub_schema',
    }[String(q.in)];
    parameter = kind === undefined ? {} : { non_body_parameter: { [kind]: common } };
  }
  return { parameter };
}

/** A JSON Schema (Swagger 2.0 dialect) as gnostic's `Schema`; keys outside that dialect are dropped. */
export function schemaMessage(v: unknown): Msg {
  if (!isObject(v)) return {};
  const s = v;
  const out: Msg = {
    _ref: str(s.$ref),
    format: str(s.format),
    title: str(s.title),
    description: str(s.description),
    default: s.default === undefined ? undefined : anyOf(s.default),
    multiple_of: num(s.multipleOf),
    maximum: num(s.maximum),
    exclusive_maximum: bool(s.exclusiveMaximum),
    minimum: num(s.minimum),
    exclusive_minimum: bool(s.exclusiveMinimum),
    max_length: int(s.maxLength),
    min_length: int(s.minLength),
    pattern: str(s.pattern),
    max_items: int(s.maxItems),
    min_items: int(s.minItems),
    unique_items: bool(s.uniqueItems),
    max_properties: int(s.maxProperties),
    min_properties: int(s.minProperties),
    required: strings(s.required),
    enum: Array.isArray(s.enum) ? s.enum.map(anyOf) : undefined,
    discriminator: str(s.discriminator),
    read_only: bool(s.readOnly),
    example: s.example === undefined ? undefined : anyOf(s.example),
    vendor_extension: vendorExtensions(s),
  };
  const ap = s.additionalProperties;
  if (typeof ap === 'boolean') out.additional_properties = { boolean: ap };
  else if (isObject(ap)) out.additional_properties = { schema: schemaMessage(ap) };
  if (typeof s.type === 'string') out.type = { value: [s.type] };
  else if (Array.isArray(s.type)) out.type = { value: strings(s.type) };
  if (Array.isArray(s.items)) out.items = { schema: s.items.map(schemaMessage) };
  else if (isObject(s.items)) out.items = { schema: [schemaMessage(s.items)] };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map(schemaMessage);
  if (isObject(s.properties))
    out.properties = {
      additional_properties: Object.entries(s.properties).map(([name, p]) => ({
        name,
        value: schemaMessage(p),
      })),
    };
  if (isObject(s.externalDocs))
    out.external_docs = {
      description: str(s.externalDocs.description),
      url: str(s.externalDocs.url),
    };
  return out;
}
