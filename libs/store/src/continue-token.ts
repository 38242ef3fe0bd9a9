import { badRequest } from './store-errors';

/** Where the next page starts: the snapshot revision and the last key served. */
export interface ContinuePosition {
  readonly rev: number;
  readonly ns: string;
  readonly name: string;
}

export function encodeContinue(pos: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ rev: pos.rev, ns: pos.ns, name: pos.name })).toString(
    'base64url',
  );
}

/** Decodes a token from a client; anything malformed is a BadRequest, never another exception. */
export function decodeContinue(token: string): ContinuePosition {
  const bad = () => badRequest('continue key is not valid: ' + JSON.stringify(token.slice(0, 100)));
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw bad();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw badRequest('continue key is not valid: ' + JSON.stringify(token.slice(0, 100)), e);
  }
  if (raw === null || typeof raw !== 'object') throw bad();
  const { rev, ns, name } = raw as Record<string, unknown>;
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 1) throw bad();
  if (typeof ns !== 'string' || typeof name !== 'string' || name === '') throw bad();
  return { rev, ns, name };
}
