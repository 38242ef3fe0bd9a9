import { BosunError, ErrorCode } from '@bosun/common';
import { SCHEMAS, TOP_LEVEL, type FieldType } from './protobuf-schemas';

/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) of the few
 * kinds kubectl's typed clients send that way (`kubectl create namespace|configmap|secret|
 * serviceaccount|deployment|service`) into their JSON form. Responses stay JSON, which client-go accepts.
 */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const OMIT = undefined;

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
    if (field.type.endsWith('Map')) {
      const [k, v] = value as [string, string];
      out[field.name] = { ...(out[field.name] as object), [k]: v };
    } else if (field.repeated) {
      out[field.name] = [...((out[field.name] as unknown[]) ?? []), value ?? ''];
    } else if (value !== OMIT) out[field.name] = value;
  }
  return out;
}

function decodeValue(r: Reader, wire: number, type: FieldType, depth: number): unknown {
  if (type === 'int' || type === 'int0' || type === 'bool' || type === 'bool0') {
    if (wire !== 0) throw bad('expected a varint');
    const v = r.varint();
    if (type.endsWith('0') && v === 0) return OMIT;
    return type.startsWith('bool') ? v !== 0 : v;
  }
  if (wire !== 2) throw bad('expected a length-delimited field');
  const raw = r.bytes();
  switch (type) {
    case 'string':
      return raw.length === 0 ? OMIT : raw.toString('utf8');
    case 'bytes':
      return Buffer.from(raw);
    case 'time': {
      const t = decodeMessage(raw, 'Time', depth + 1);
      if (t.seconds === undefined) return OMIT; // the zero time: JSON null, omitted
      return new Date(Number(t.seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    case 'intOrString': {
      const v = decodeMessage(raw, 'IntOrString', depth + 1);
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    case 'stringMap':
    case 'bytesMap':
    case 'quantityMap': {
      const e = decodeMessage(raw, 'MapEntry', depth + 1);
      const key = (e.key as Buffer | undefined)?.toString('utf8') ?? '';
      const val = (e.value as Buffer | undefined) ?? Buffer.alloc(0);
      if (type === 'quantityMap')
        return [key, decodeMessage(val, 'Quantity', depth + 1).string ?? '0'];
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
  const message = TOP_LEVEL[`${tm.apiVersion ?? ''}/${kind}`];
  if (message === undefined) {
    throw new BosunError(
      ErrorCode.UnsupportedMediaType,
      `Bosun decodes protobuf bodies only for ${Object.keys(TOP_LEVEL).join(', ')}, not ${tm.apiVersion}/${kind}; send JSON or YAML`,
    );
  }
  const obj = decodeMessage((unknown.raw as Buffer | undefined) ?? Buffer.alloc(0), message);
  return { apiVersion: tm.apiVersion, kind, ...obj, metadata: obj.metadata ?? {} };
}
