import { badRequest } from '@bosun/resource-model';

/** Objects cross the gRPC API as JSON bytes (resource.proto). */
export const toJsonBytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

export function fromJsonBytes(bytes: Uint8Array | undefined, what: string): unknown {
  const text = Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
  if (text.trim() === '') throw badRequest(`${what} is empty: it must be a JSON document`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`${what} could not be decoded as JSON: ${(e as Error).message}`);
  }
}
