import { readFile } from 'node:fs/promises';
import { parseCriLogLine, type CriLogEntry } from './cri-log-writer';

export interface ReadLogOptions {
  /** Only the last N entries (like `kubectl logs --tail`). */
  readonly tailLines?: number;
  /** Only entries at or after this time (like `--since-time`). */
  readonly since?: Date;
}

/**
 * Reads a container's CRI log, the rotated file (`<path>.1`) first, and joins partial (`P`)
 * entries with the full entry that ends them, so each returned entry is one line of output.
 */
export async function readCriLog(
  path: string,
  options: ReadLogOptions = {},
): Promise<CriLogEntry[]> {
  const text =
    (await readFile(`${path}.1`, 'utf8').catch(() => '')) +
    (await readFile(path, 'utf8').catch(() => ''));
  const out: CriLogEntry[] = [];
  const pending: Partial<Record<CriLogEntry['stream'], CriLogEntry>> = {};
  for (const raw of text.split('\n')) {
    const entry = parseCriLogLine(raw);
    if (!entry) continue;
    const before = pending[entry.stream];
    const joined = before
      ? { ...before, line: before.line + entry.line, partial: entry.partial }
      : entry;
    if (joined.partial) {
      pending[entry.stream] = joined;
      continue;
    }
    delete pending[entry.stream];
    out.push(joined);
  }
  out.push(...Object.values(pending).filter((e): e is CriLogEntry => e !== undefined));
  const since = options.since?.toISOString();
  const filtered = since ? out.filter((e) => e.time >= since) : out;
  return options.tailLines !== undefined
    ? filtered.slice(Math.max(0, filtered.length - options.tailLines))
    : filtered;
}
