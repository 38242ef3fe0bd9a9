import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { formatTable } from './table';

/** One recorded version of an object, as `GET /apis/bosun.dev/v1/history/…` answers it. */
export interface HistoryVersion {
  readonly revision: number;
  readonly type: string;
  readonly actor: string;
  readonly time: string;
  readonly object: unknown;
}

export interface ObjectHistoryView {
  readonly items: readonly HistoryVersion[];
  /** Revisions at or below this were compacted: versions older than it may be gone. */
  readonly compactedRevision?: number;
}

export interface RenderOptions {
  readonly diff: boolean;
  readonly color: boolean;
}

const ANSI = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

/** RFC 3339 to the second, as kubectl prints times. */
export const shortTime = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');

/**
 * The object as the diff shows it: without `metadata.resourceVersion` (it changes on every write
 * and the revision is printed anyway) and `metadata.managedFields` (bookkeeping, not content).
 */
export function withoutNoise(object: unknown): unknown {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return object;
  const o = object as Record<string, unknown>;
  const meta = o.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return o;
  const { resourceVersion: _rv, managedFields: _mf, ...rest } = meta as Record<string, unknown>;
  return { ...o, metadata: rest };
}

export const objectYaml = (object: unknown): string =>
  object === undefined ? '' : stringify(withoutNoise(object), { lineWidth: 0 });

/**
 * The unified diff between two YAML texts, without the `---`/`+++`/`===` file headers (the
 * version header says what is compared); empty when they are equal.
 */
export function unifiedDiff(before: string, after: string, color: boolean): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch('before', 'after', before, after, '', '', { context: 3 });
  const lines = patch
    .split('\n')
    .filter((l) => !/^(Index: |={10,}|--- |\+\+\+ )/.test(l))
    .filter((l, i, all) => !(l === '' && i === all.length - 1));
  if (!color) return lines.join('\n');
  return lines
    .map((l) => {
      if (l.startsWith('@@')) return `${ANSI.cyan}${l}${ANSI.reset}`;
      if (l.startsWith('+')) return `${ANSI.green}${l}${ANSI.reset}`;
      if (l.startsWith('-')) return `${ANSI.red}${l}${ANSI.reset}`;
      return l;
    })
    .join('\n');
}

/** The note printed when compaction may have removed versions older than those shown. */
export function compactionNote(h: ObjectHistoryView): string | undefined {
  const compacted = h.compactedRevision ?? 0;
  if (compacted <= 0) return undefined;
  const first = h.items[0];
  if (first !== undefined && first.type === 'ADDED') return undefined;
  return `note: history at or before revision ${compacted} was compacted; older versions of this object are no longer recorded`;
}

/**
 * Every version, oldest first: a header line per version (revision, time, actor, event type) and,
 * with `diff`, the change against the version before it. An ADDED version (a creation, also a
 * re-creation after a delete) is shown against nothing: it is the whole new object.
 */
export function renderHistory(h: ObjectHistoryView, opts: RenderOptions): string {
  const header = ['REVISION', 'TIME', 'ACTOR', 'TYPE'];
  const rows = h.items.map((v) => [String(v.revision), shortTime(v.time), v.actor, v.type]);
  const note = compactionNote(h);
  const lead = note ? [note, ''] : [];
  if (!opts.diff) return [...lead, formatTable(header, rows)].join('\n');
  const blocks: string[] = [];
  let previous = '';
  for (const v of h.items) {
    const current = objectYaml(v.object);
    const base = v.type === 'ADDED' ? '' : previous;
    const title = `revision ${v.revision}  ${shortTime(v.time)}  ${v.actor}  ${v.type}`;
    const diff = unifiedDiff(base, current, opts.color);
    const body =
      diff !== ''
        ? diff
        : v.type === 'DELETED'
          ? '(deleted; no change to the object)'
          : '(no change to the object)';
    blocks.push(`${opts.color ? `${ANSI.bold}${title}${ANSI.reset}` : title}\n${body}`);
    previous = current;
  }
  return [...lead, blocks.join('\n\n')].join('\n');
}
