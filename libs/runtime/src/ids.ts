import { randomBytes } from 'node:crypto';

/** Every object a runtime creates carries this prefix, so adoption finds only ours. */
export const BOSUN_ID_PREFIX = 'bosun-';

export function newId(kind: 'sb' | 'ct'): string {
  return `${BOSUN_ID_PREFIX}${kind}-${randomBytes(6).toString('hex')}`;
}
