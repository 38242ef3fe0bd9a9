import { parseArgs } from 'node:util';
import { COMMANDS, helpText } from './commands';
import { terminalOutput } from './output';

async function main(argv: string[]): Promise<number> {
  const out = terminalOutput();
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [name = 'help'] = positionals;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(helpText());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.error(`unknown command "${name}" for "bosun"\n\n${helpText()}`);
    return 2;
  }
  const rest = argv.slice(argv.indexOf(name) + 1);
  return command.run({ args: rest, env: process.env, out });
}

/**
 * Exits once stdout and stderr are flushed: writes to a pipe are asynchronous, and exiting at once
 * would cut a long output short (`bosun history deploy/web -o json | jq` got ~200 KB of it).
 */
function exitFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitFlushed, (e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  exitFlushed(1);
});
