import type { Output } from '../output';
import { down } from './down';
import { events } from './events';
import { history } from './history';
import { imageLoad } from './image-load';
import { node } from './node-join';
import { status } from './status';
import { token } from './token';
import { up } from './up';

/** What every `bosun <command>` gets: the arguments after its name, the environment, the output. */
export interface CommandContext {
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
}

export interface Command {
  readonly name: string;
  /** One line for `bosun help`, e.g. `up [--nodes N]   start a local cluster …`. */
  readonly usage: string;
  readonly summary: string;
  /** Resolves with the process exit code: 0 success, 1 failure, 2 bad usage. */
  run(ctx: CommandContext): Promise<number>;
}

/** Every command, in the order `bosun help` lists them. Add a command with one entry here. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'up',
    usage: 'up [--nodes N] [--runtime runc|process]',
    summary: 'start a local cluster in the foreground (what npm start runs); Ctrl-C stops it',
    run: ({ args, env, out }) => up({ args, env, out }),
  },
  {
    name: 'down',
    usage: 'down',
    summary: 'stop the cluster started from this BOSUN_HOME',
    run: ({ args, env, out }) => down(env, out, undefined, args),
  },
  {
    name: 'status',
    usage: 'status [--output json]',
    summary: 'whether a cluster runs from this BOSUN_HOME: services, nodes, addresses',
    run: ({ args, env, out }) => status(args, env, out),
  },
  {
    name: 'image',
    usage: 'image load <archive> [--node NAME]...',
    summary: 'load an OCI / docker-save image archive into nodes (air-gapped hosts)',
    run: (ctx) => imageLoad(ctx),
  },
  {
    name: 'token',
    usage: 'token create|list|delete',
    summary: 'bootstrap tokens for new nodes (create --print-join-command prints the join line)',
    run: ({ args, env, out }) => token(args, env, out),
  },
  {
    name: 'node',
    usage: 'node join <api-url> --token T --ca-cert-hash H',
    summary: 'join this machine as a worker node and run its node agent in the foreground',
    run: ({ args, env, out }) => node(args, env, out),
  },
  {
    name: 'history',
    usage: 'history <type>/<name> [-n NS]',
    summary: 'every recorded version of an object: who, when, and a diff of what changed',
    run: ({ args, env, out }) =>
      history(args, env, out, { color: process.stdout.isTTY === true && !env.NO_COLOR }),
  },
  {
    name: 'events',
    usage: 'events [--follow] [--after REV]',
    summary: "the cluster's event log (every committed change, with its actor); -f follows it",
    run: ({ args, env, out }) => events(args, env, out),
  },
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length)) + 2;
  const lines = COMMANDS.map((c) => `  bosun ${c.usage.padEnd(width)}${c.summary}`);
  return `bosun — run and inspect a Bosun cluster

Usage:
${lines.join('\n')}
  bosun ${'help'.padEnd(width)}this text (bosun <command> --help for one command)

Environment:
  DATABASE_URL    Postgres of the store (default postgres://postgres@127.0.0.1:5432/postgres)
  NATS_URL        NATS with JetStream (default nats://127.0.0.1:4222)
  BOSUN_HOME      state: CA, tokens, kubeconfig, logs (default .bosun/ in the repository)
  BOSUN_API_PORT  HTTPS port of the Kubernetes API (default 6443)
  BOSUN_API_HEALTH_PORT  the api-server's health/metrics port (default 8080)
`;
}
