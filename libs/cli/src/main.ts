import { parseArgs } from 'node:util';
import { down } from './commands/down';
import { up } from './commands/up';
import { terminalOutput } from './output';

const HELP = `bosun — run and inspect a Bosun cluster

Usage:
  bosun up        start a local cluster in the foreground (what npm start runs); Ctrl-C stops it
  bosun down      stop the cluster started from this BOSUN_HOME
  bosun help      this text

Environment:
  DATABASE_URL    Postgres of the store (default postgres://postgres@127.0.0.1:5432/postgres)
  NATS_URL        NATS with JetStream (default nats://127.0.0.1:4222)
  BOSUN_HOME      state: CA, tokens, kubeconfig, logs (default .bosun/ in the repository)
  BOSUN_API_PORT  HTTPS port of the Kubernetes API (default 6443)
  BOSUN_API_HEALTH_PORT  the api-server's health/metrics port (default 8080)

Still to come: status, node join, token create, image load, history, events.
`;

async function main(argv: string[]): Promise<number> {
  const out = terminalOutput();
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [command = 'help'] = positionals;
  switch (command) {
    case 'up':
      return up({ env: process.env, out });
    case 'down':
      return down(process.env, out);
    case 'help':
    case '--help':
      process.stdout.write(HELP);
      return 0;
    default:
      out.error(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
