import { createHash } from 'node:crypto';

/** The LISTEN/NOTIFY channel of a schema's commits (Postgres names are at most 63 bytes). */
export function commitChannel(schema: string): string {
  const c = `bosun_commit_${schema}`;
  return c.length <= 63 ? c : `bosun_commit_${createHash('sha1').update(schema).digest('hex')}`;
}
