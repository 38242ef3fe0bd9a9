import type { IncomingMessage } from 'node:http';
import { BosunError, ErrorCode } from '@bosun/common';
import { parse as parseYaml } from 'yaml';
import { checkJsonTextDepth, checkValueDepth, MAX_JSON_DEPTH, tooDeep } from './json-depth';
import { decodeProtobuf, PROTOBUF } from './protobuf';

/** Kubernetes' limit on a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const MediaType = {
  Json: 'application/json',
  Yaml: 'application/yaml',
  JsonPatch: 'application/json-patch+json',
  MergePatch: 'application/merge-patch+json',
  StrategicMergePatch: 'application/strategic-merge-patch+json',
  ApplyPatch: 'application/apply-patch+yaml',
} as const;
export type MediaType = (typeof MediaType)[keyof typeof MediaType];

const KNOWN = new Set<string>(Object.values(MediaType));

/** The media type of a request body, without parameters; '' when absent. */
export function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Reads the whole body, answering 413 past the limit instead of buffering without bound. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e) => !failed && reject(e));
  });
}

function tooLarge(limit: number): BosunError {
  return new BosunError(
    ErrorCode.RequestEntityTooLarge,
    `the request body is larger than the limit of ${limit} bytes`,
  );
}

/**
 * Decodes a JSON or YAML body into a value; bad syntax or nesting deeper than `maxDepth` is a 400,
 * an unknown type a 415.
 */
export function decodeBody(raw: Buffer, mediaType: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const type = mediaType || MediaType.Json;
  if (type === PROTOBUF) return decodeProtobuf(raw);
  if (!KNOWN.has(type) && type !== 'application/x-yaml' && type !== 'text/yaml') {
    throw new BosunError(
      ErrorCode.UnsupportedMediaType,
      `the body of the request was in an unknown format (${type}) - accepted media types include: ${[...KNOWN].join(', ')}`,
    );
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') throw new BosunError(ErrorCode.BadRequest, 'the request body is empty');
  if (!type.endsWith('yaml')) checkJsonTextDepth(text, maxDepth);
  let value: unknown;
  try {
    value = type.endsWith('yaml') ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (e) {
    // The YAML parser recurses: a hostile nesting overflows its stack before we can count.
    if (e instanceof RangeError || /call stack/.test((e as Error).message)) throw tooDeep(maxDepth);
    throw new BosunError(
      ErrorCode.BadRequest,
      `the request body could not be decoded as ${type}: ${(e as Error).message}`,
    );
  }
  if (type.endsWith('yaml')) checkValueDepth(value, maxDepth);
  return value;
}

export { isPlainObject } from '../operations/object-of-kind';
