import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

export type LogStream = 'stdout' | 'stderr';

/** RFC 3339 with nanoseconds, as the CRI log format uses (`2026-11-27T21:03:04.123456789Z`). */
export function rfc3339Nano(
  date = new Date(),
  extraNanos = process.hrtime()[1] % 1_000_000,
): string {
  const iso = date.toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, -1)}${String(extraNanos).padStart(6, '0')}Z`;
}

/**
 * Writes a container's stdout/stderr to one file in the CRI format
 * `<RFC3339Nano> <stream> <F|P> <line>`: a full line ends with `F`; a chunk without newline is
 * kept until the next chunk or `flush()` writes it as a partial (`P`). When the file passes
 * `maxBytes` it is renamed to `<path>.1` (the previous `.1` is dropped) and a new file begun.
 * Synchronous writes keep the order of lines across both streams.
 */
export class CriLogWriter {
  private fd: number;
  private size: number;
  /** Lines lost because a write failed (disk full); the container keeps running regardless. */
  dropped = 0;
  /** The last write error, if any (e.g. ENOSPC). */
  lastError: Error | undefined;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };

  constructor(
    readonly path: string,
    private readonly maxBytes = DEFAULT_LOG_MAX_BYTES,
  ) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(stream: LogStream, chunk: Buffer | string): void {
    const text = this.pending[stream] + chunk.toString();
    const lines = text.split('\n');
    this.pending[stream] = lines.pop() ?? '';
    for (const line of lines) this.writeLine(stream, 'F', line);
  }

  /** Writes what is left of unterminated lines as partial (`P`) entries. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream] !== '') this.writeLine(stream, 'P', this.pending[stream]);
      this.pending[stream] = '';
    }
  }

  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
    } catch {
      // already closed by a failed rotation
    }
  }

  /**
   * A failed write (ENOSPC, EIO) drops the line and counts it: a container's output must never
   * throw out of a stream handler and take the agent (or the shim) down with it.
   */
  private writeLine(stream: LogStream, tag: 'F' | 'P', line: string): void {
    const entry = Buffer.from(`${rfc3339Nano()} ${stream} ${tag} ${line}\n`);
    try {
      if (this.size > 0 && this.size + entry.length > this.maxBytes) this.rotate();
      writeSync(this.fd, entry);
      this.size += entry.length;
    } catch (e) {
      this.dropped++;
      this.lastError = e as Error;
    }
  }

  private rotate(): void {
    renameSync(this.path, `${this.path}.1`);
    const fd = openSync(this.path, 'a');
    closeSync(this.fd);
    this.fd = fd;
    this.size = 0;
  }
}

export interface CriLogEntry {
  readonly time: string;
  readonly stream: LogStream;
  readonly partial: boolean;
  readonly line: string;
}

/** Parses one CRI log line (for readers such as `kubectl logs` in the agent, and tests). */
export function parseCriLogLine(raw: string): CriLogEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/.exec(raw);
  if (!m) return undefined;
  // conmon writes the UTC offset as `+00:00`; the kubelet's RFC 3339 form ends in `Z`.
  const time = m[1]!.endsWith('+00:00') ? `${m[1]!.slice(0, -6)}Z` : m[1]!;
  return { time, stream: m[2] as LogStream, partial: m[3] === 'P', line: m[4]! };
}
