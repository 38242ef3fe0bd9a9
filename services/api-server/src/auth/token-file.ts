import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { BosunError, ErrorCode } from '@bosun/common';
import { writeSecret } from '../tls/pki';
import { COMPONENTS } from './user';

/** One line of a static token file: `token,user,uid,"group1,group2"` (kube-apiserver's format). */
export interface StaticToken {
  readonly token: string;
  readonly user: string;
  readonly uid: string;
  readonly groups: readonly string[];
}

const invalid = (source: string, line: number | undefined, why: string): BosunError =>
  new BosunError(
    ErrorCode.Invalid,
    `token file ${source}${line === undefined ? '' : ` line ${line}`}: ${why}`,
    { context: { source, line } },
  );

/**
 * Parses a token file strictly: every non-empty line has 3 or 4 columns, a token without
 * whitespace, a user and a uid; a token may appear once. Any other line is an error naming it
 * (kube-apiserver only warns on some; an operator would rather know at start-up).
 */
export function parseTokenFile(text: string, source = 'tokens.csv'): StaticToken[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      ltrim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw invalid(source, line, (e as Error).message);
  }
  const seen = new Map<string, number>();
  return rows.map(({ record, info }) => {
    const line = info.lines;
    if (record.length < 3 || record.length > 4)
      throw invalid(
        source,
        line,
        `expected 3 or 4 columns (token, user name, user uid[, "groups"]), found ${record.length}`,
      );
    const [token, user, uid, groupsField = ''] = record.map((f) => f.trim());
    if (!/^[\x21-\x7e]+$/.test(token))
      throw invalid(source, line, 'the token is empty or has spaces or non-ASCII characters');
    if (user === '') throw invalid(source, line, 'the user name is empty');
    if (uid === '') throw invalid(source, line, 'the user uid is empty');
    const first = seen.get(token);
    if (first !== undefined) throw invalid(source, line, `the token of line ${first} again`);
    seen.set(token, line);
    const groups = groupsField
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
    return { token, user, uid, groups };
  });
}

/** The file text for `tokens` (groups quoted when there are several). */
export function formatTokenFile(tokens: readonly StaticToken[]): string {
  return stringify(tokens.map((t) => [t.token, t.user, t.uid, t.groups.join(',')]));
}

export async function readTokenFile(path: string): Promise<StaticToken[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new BosunError(ErrorCode.Invalid, `cannot read token file ${path}: ${String(e)}`, {
      cause: e,
    });
  }
  return parseTokenFile(text, path);
}

/**
 * Reads `<BOSUN_HOME>/tokens.csv`, adding a token for every control-plane component that has none
 * (existing lines, also an operator's own, are kept), and rewrites it 0600 when it changed.
 */
export async function ensureComponentTokens(path: string): Promise<StaticToken[]> {
  const tokens = existsSync(path) ? await readTokenFile(path) : [];
  const missing = COMPONENTS.filter((c) => !tokens.some((t) => t.user === c.user));
  if (missing.length === 0 && existsSync(path)) return tokens;
  const all = [
    ...tokens,
    ...missing.map((c) => ({
      token: randomBytes(32).toString('base64url'),
      user: c.user,
      uid: c.user,
      groups: [],
    })),
  ];
  await writeSecret(path, formatTokenFile(all));
  return all;
}
