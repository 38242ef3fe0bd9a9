/** One flag a command accepts: `--name VALUE` (string) or `--name` (boolean), maybe `-x` too. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** What a command line parsed into: flag values by long name, and the positional arguments. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly positionals: readonly string[];
}

/** A command line that does not fit the command's flags: exit 2 with the message and a usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const BOOLEAN_VALUES: Record<string, boolean> = { true: true, false: false };

/**
 * Parses `args` strictly, the way kubectl (cobra/pflag) does: `--flag value`, `--flag=value`,
 * `-f value`, `-fvalue`, `--bool`, `--bool=false`, and `--` ends the flags. Anything else is a
 * UsageError: an unknown flag, a missing value, a value for a flag that takes none.
 */
export function parseFlags(args: readonly string[], specs: FlagSpecs): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      shown = `--${name}`;
      if (!Object.hasOwn(specs, name)) throw new UsageError(`unknown flag: ${shown}`);
    } else {
      const short = arg[1];
      shown = `-${short}`;
      const long = byShort.get(short);
      if (long === undefined) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      name = long;
      const rest = arg.slice(2);
      inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    }
    const spec = specs[name];
    if (spec.type === 'boolean') {
      if (inline === undefined) flags[name] = true;
      else if (Object.hasOwn(BOOLEAN_VALUES, inline)) flags[name] = BOOLEAN_VALUES[inline];
      else {
        throw new UsageError(
          `invalid argument ${JSON.stringify(inline)} for "${shown}" flag: not true or false`,
        );
      }
      continue;
    }
    if (inline !== undefined) {
      flags[name] = inline;
      continue;
    }
    if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: ${shown}`);
    flags[name] = args[++i];
  }
  return { flags, positionals };
}

/** The string value of a flag, or `fallback` when it was not given. */
export const stringFlag = (p: ParsedArgs, name: string, fallback = ''): string => {
  const v = p.flags[name];
  return typeof v === 'string' ? v : fallback;
};

export const booleanFlag = (p: ParsedArgs, name: string): boolean => p.flags[name] === true;

/** A non-negative integer flag value, or a UsageError naming the flag. */
export function intFlag(p: ParsedArgs, name: string): number | undefined {
  const raw = p.flags[name];
  if (typeof raw !== 'string') return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new UsageError(
      `invalid argument ${JSON.stringify(raw)} for "--${name}" flag: not a non-negative integer`,
    );
  }
  return Number(raw);
}
