/**
 * Durations as kubeadm takes them (Go's time.ParseDuration): a sequence of decimal numbers with a
 * unit each — `24h`, `1h30m`, `1.5h`, `90s`, `500ms`; `0` alone means zero. Strict on purpose:
 * the human-friendly parsers on npm accept `1 hour` or `2 days`, which kubeadm refuses, and a
 * silently misread TTL is a token that lives too long.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds of a Go duration; throws an Error naming the problem for anything else. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new Error('invalid duration "": empty');
  if (text.startsWith('-')) throw new Error(`invalid duration "${text}": must not be negative`);
  const body = text.startsWith('+') ? text.slice(1) : text;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    TERM.lastIndex = at;
    const m = TERM.exec(body);
    if (m === null) {
      const hint = /^\d+(\.\d*)?$/.test(body.slice(at)) ? 'missing unit' : 'unknown unit or form';
      throw new Error(
        `invalid duration "${text}": ${hint} (use a number and a unit each: ns, us, ms, s, m, h — e.g. 24h, 1h30m)`,
      );
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    at = TERM.lastIndex;
  }
  if (body === '') throw new Error(`invalid duration "${text}": no number`);
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) {
    throw new Error(`invalid duration "${text}": too large`);
  }
  return Math.round(total);
}

/** A short duration as kubectl prints ages: `45s`, `59m`, `23h`, `6d`. */
export function shortDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${Math.max(s, 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
