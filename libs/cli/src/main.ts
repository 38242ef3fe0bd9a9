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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
