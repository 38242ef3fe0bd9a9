import { BosunError, ErrorCode } from './errors';
import { parseDuration } from './duration';

/**
 * Typed config read once at start-up. Each field names its env var; a wrong value stops start-up
 * with a message naming the variable, the value and what was expected.
 */
export type FieldSpec<T> = {
  readonly env: string;
  readonly default?: T;
  readonly parse: (raw: string) => T;
  readonly describe: string;
};

export const parsers = {
  string: (raw: string): string => raw,
  int: (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error('an integer');
    return Number(raw);
  },
  bool: (raw: string): boolean => {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
    throw new Error('true or false');
  },
  /** A Go duration (`5m`, `168h`, `1h30m`, `0`) in milliseconds. */
  duration: (raw: string): number => {
    try {
      return parseDuration(raw.trim());
    } catch {
      throw new Error('a duration such as 90s, 5m, 168h or 1h30m');
    }
  },
  url: (raw: string): string => {
    new URL(raw);
    return raw;
  },
  oneOf:
    <T extends string>(...values: T[]) =>
    (raw: string): T => {
      if (!(values as string[]).includes(raw)) throw new Error(`one of ${values.join(', ')}`);
      return raw as T;
    },
};

export function loadConfig<S extends Record<string, FieldSpec<unknown>>>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): { [K in keyof S]: S[K] extends FieldSpec<infer T> ? T : never } {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const raw = env[spec.env];
    if (raw === undefined || raw === '') {
      if (spec.default === undefined) {
        throw new BosunError(ErrorCode.Invalid, `${spec.env} is required: ${spec.describe}`, {
          context: { env: spec.env },
        });
      }
      out[key] = spec.default;
      continue;
    }
    try {
      out[key] = spec.parse(raw);
    } catch (e) {
      const expected = e instanceof Error ? e.message : String(e);
      throw new BosunError(
        ErrorCode.Invalid,
        `${spec.env}=${JSON.stringify(raw)} is not valid: expected ${expected} (${spec.describe})`,
        { context: { env: spec.env, value: raw }, cause: e },
      );
    }
  }
  return out as never;
}
