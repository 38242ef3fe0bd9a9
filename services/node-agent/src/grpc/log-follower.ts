import { open, stat } from 'node:fs/promises';
import { parseCriLogLine, type CriLogEntry } from '@bosun/runtime';

/** Entries read from a CRI log file, and where to read on from (bytes of whole lines only). */
export interface LogChunk {
  readonly entries: CriLogEntry[];
  readonly offset: number;
}

async function readFrom(path: string, offset: number): Promise<{ text: string; end: number }> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return { text: '', end: offset };
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return { text: '', end: offset };
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    // Keep a line still being written for the next read.
    const lastNl = text.lastIndexOf('\n');
    const whole = lastNl < 0 ? '' : text.slice(0, lastNl + 1);
    return { text: whole, end: offset + Buffer.byteLength(whole) };
  } finally {
    await fh.close();
  }
}

const parse = (text: string): CriLogEntry[] =>
  text
    .split('\n')
    .map(parseCriLogLine)
    .filter((e): e is CriLogEntry => e !== undefined);

/** The whole log so far (rotated file first) and the offset in the current file it ends at. */
export async function readWholeLog(path: string): Promise<LogChunk> {
  const old = await readFrom(`${path}.1`, 0);
  const cur = await readFrom(path, 0);
  return { entries: parse(old.text + cur.text), offset: cur.end };
}

/**
 * What was appended since `offset`. A file smaller than the offset was rotated: the rest of the
 * rotated file comes first, then the new file from its start.
 */
export async function readAppended(path: string, offset: number): Promise<LogChunk> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size >= offset) {
    const cur = await readFrom(path, offset);
    return { entries: parse(cur.text), offset: cur.end };
  }
  const old = await readFrom(`${path}.1`, offset);
  const cur = await readFrom(path, 0);
  return { entries: parse(old.text + cur.text), offset: cur.end };
}

/**
 * Groups partial (`P`) entries with the full entry ending them, so `tailLines` counts lines of
 * output as the kubelet does; each group keeps the time of its first piece.
 */
export function selectLines(
  entries: readonly CriLogEntry[],
  opts: { tailLines?: number; since?: Date },
): CriLogEntry[] {
  const lines: CriLogEntry[][] = [];
  const open: Partial<Record<string, CriLogEntry[]>> = {};
  for (const e of entries) {
    const group = open[e.stream] ?? [];
    group.push(e);
    if (e.partial) {
      open[e.stream] = group;
      continue;
    }
    delete open[e.stream];
    lines.push(group);
  }
  for (const g of Object.values(open)) if (g) lines.push(g);
  const since = opts.since?.toISOString();
  const kept = since ? lines.filter((g) => g[0].time >= since) : lines;
  const tail =
    opts.tailLines !== undefined ? kept.slice(Math.max(0, kept.length - opts.tailLines)) : kept;
  return tail.flat();
}
