import { BosunError, ErrorCode } from '@bosun/common';

/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) of the few
 * kinds kubectl's typed clients send that way (`kubectl create namespace|configmap|secret|
 * serviceaccount`) into their JSON form. Responses stay JSON, which client-go accepts.
 */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type FieldType =
  'string' | 'bytes' | 'int' | 'bool' | 'time' | 'stringMap' | 'bytesMap' | `msg:${string}`;
interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
}
type Schema = Record<number, Field>;

const f = (name: string, type: FieldType, repeated = false): Field => ({ name, type, repeated });

const SCHEMAS: Record<string, Schema> = {
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  Unknown: {
    1: f('typeMeta', 'msg:TypeMeta'),
    2: f('raw', 'bytes'),
    3: f('contentEncoding', 'string'),
    4: f('contentType', 'string'),
  },
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    5: f('uid', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('generation', 'int'),
    8: f('creationTimestamp', 'time'),
    11: f('labels', 'stringMap'),
    12: f('annotations', 'stringMap'),
    13: f('ownerReferences', 'msg:OwnerReference', true),
    14: f('finalizers', 'string', true),
  },
  OwnerReference: {
    1: f('kind', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
    6: f('controller', 'bool'),
    7: f('blockOwnerDeletion', 'bool'),
  },
  ObjectReference: {
    1: f('kind', 'string'),
    2: f('namespace', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
  },
  LocalObjectReference: { 1: f('name', 'string') },
  NamespaceSpec: { 1: f('finalizers', 'string', true) },
  Namespace: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:NamespaceSpec') },
  ConfigMap: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: f('data', 'stringMap'),
    3: f('binaryData', 'bytesMap'),
    4: f('immutable', 'bool'),
  },
  Secret: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: f('data', 'bytesMap'),
    3: f('type', 'string'),
    4: f('stringData', 'stringMap'),
    5: f('immutable', 'bool'),
  },
  ServiceAccount: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: f('secrets', 'msg:ObjectReference', true),
    3: f('imagePullSecrets', 'msg:LocalObjectReference', true),
    4: f('automountServiceAccountToken', 'bool'),
  },
  Time: { 1: f('seconds', 'int'), 2: f('nanos', 'int') },
  MapEntry: { 1: f('key', 'bytes'), 2: f('value', 'bytes') },
};

const bad = (why: string): BosunError =>
  new BosunError(ErrorCode.BadRequest, `invalid protobuf body: ${why}`);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw bad('varint too long');
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw bad('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw bad(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schemaName: string, depth = 0): Record<string, unknown> {
  if (depth > 20) throw bad('nesting too deep');
  const schema = SCHEMAS[schemaName];
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = r.varint();
    const field = schema[Math.floor(tag / 8)];
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    const value = decodeValue(r, wire, field.type, depth);
    if (field.type === 'stringMap' || field.type === 'bytesMap') {
      const [k, v] = value as [string, string];
      out[field.name] = { ...(out[field.name] as object), [k]: v };
    } else if (field.repeated) {
      out[field.name] = [...((out[field.name] as unknown[]) ?? []), value];
    } else out[field.name] = value;
  }
  return out;
}

function decodeValue(r: Reader, wire: number, type: FieldType, depth: number): unknown {
  if (type === 'int' || type === 'bool') {
    if (wire !== 0) throw bad('expected a varint');
    const v = r.varint();
    return type === 'bool' ? v !== 0 : v;
  }
  if (wire !== 2) throw bad('expected a length-delimited field');
  const raw = r.bytes();
  switch (type) {
    case 'string':
      return raw.toString('utf8');
    case 'bytes':
      return Buffer.from(raw);
    case 'time': {
      const t = decodeMessage(raw, 'Time', depth + 1);
      return new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    case 'stringMap':
    case 'bytesMap': {
      const e = decodeMessage(raw, 'MapEntry', depth + 1);
      const key = (e.key as Buffer | undefined)?.toString('utf8') ?? '';
      const val = (e.value as Buffer | undefined) ?? Buffer.alloc(0);
      return [key, type === 'stringMap' ? val.toString('utf8') : val.toString('base64')];
    }
    default:
      return decodeMessage(raw, type.slice(4), depth + 1);
  }
}

/** The JSON form of a protobuf-encoded object; kinds without a decoder answer 415. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw bad('missing the k8s envelope');
  const unknown = decodeMessage(body.subarray(4), 'Unknown');
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = tm.kind ?? '';
  if (
    !['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount'].includes(kind) ||
    (tm.apiVersion ?? '') !== 'v1'
  ) {
    throw new BosunError(
      ErrorCode.UnsupportedMediaType,
      `Bosun decodes protobuf bodies only for v1 Namespace, ConfigMap, Secret and ServiceAccount, not ${tm.apiVersion}/${kind}; send JSON or YAML`,
    );
  }
  const obj = decodeMessage((unknown.raw as Buffer | undefined) ?? Buffer.alloc(0), kind);
  return { apiVersion: tm.apiVersion, kind, ...obj, metadata: obj.metadata ?? {} };
}
