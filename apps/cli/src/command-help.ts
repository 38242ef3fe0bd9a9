import { ErrorCode, isBosunError } from '@bosun/common';
import { parseFlags, UsageError, type FlagSpecs, type ParsedArgs } from './flags';
import type { Output } from './output';

/** One flag as `--help` shows it. */
export interface FlagHelp {
  readonly flag: string;
  readonly text: string;
}

/** A command's `--help` page and its flags. */
export interface CommandSpec {
  /** The words after `bosun`, e.g. `token create`. */
  readonly path: string;
  readonly description: string;
  /** Usage lines after `bosun `, e.g. `token create [flags]`. */
  readonly usage: readonly string[];
  readonly flags: FlagSpecs;
  readonly flagHelp: readonly FlagHelp[];
  /** `# comment` lines and command lines. */
  readonly examples: readonly string[];
}

export function helpPage(spec: CommandSpec): string {
  const flagHelp = [...spec.flagHelp, { flag: '-h, --help', text: `help for ${spec.path}` }];
  const width = Math.max(...flagHelp.map((f) => f.flag.length)) + 3;
  const flags = flagHelp.map((f) => `  ${f.flag.padEnd(width)}${f.text}`);
  return [
    spec.description.trim(),
    '',
    'Usage:',
    ...spec.usage.map((u) => `  bosun ${u}`),
    '',
    'Flags:',
    ...flags,
    '',
    'Examples:',
    ...spec.examples.map((e) => (e === '' ? '' : `  ${e}`)),
    '',
  ].join('\n');
}

/** The message a failed command prints, naming what is wrong in the user's terms. */
export function errorMessage(e: unknown): string {
  if (isBosunError(e, ErrorCode.Unauthorized)) {
    return "You must be logged in to the server (Unauthorized): the kubeconfig's token was refused";
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs a command the way kubectl does: `--help`/`-h` prints the help page; a bad command line
 * prints `error: …` and a hint, exit 2; a failure prints `error: …`, exit 1; no stack traces.
 */
export async function runCommand(
  spec: CommandSpec,
  args: readonly string[],
  out: Output,
  body: (parsed: ParsedArgs) => Promise<number>,
): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseFlags(args, { ...spec.flags, help: { type: 'boolean', short: 'h' } });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageFailure(spec, out, e.message);
  }
  if (parsed.flags.help === true) {
    out.info(helpPage(spec).trimEnd());
    return 0;
  }
  try {
    return await body(parsed);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(spec, out, e.message);
    out.error(errorMessage(e));
    return 1;
  }
}

function usageFailure(spec: CommandSpec, out: Output, message: string): number {
  out.error(`${message}\nSee 'bosun ${spec.path} --help' for usage.`);
  return 2;
}
