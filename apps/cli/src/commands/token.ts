import { Resources } from '@bosun/api-types';
import { ApiClient, type Connection, type KubeObject, type ResourceRef } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import {
  BOOTSTRAP_NAMESPACE,
  bootstrapSecret,
  generateToken,
  rfc3339,
  secretName,
  TOKEN_ID_PATTERN,
  tokenRow,
  tokenString,
  type BootstrapToken,
  type TokenRow,
} from '../bootstrap-token';
import { caCertHash, readPemCertificate } from '../ca-pinning';
import { runCommand, type CommandSpec } from '../command-help';
import { loadConnection } from '../connection';
import { parseDuration, shortDuration } from '@bosun/common';
import { booleanFlag, stringFlag, UsageError } from '../flags';
import type { Output } from '../output';
import { formatTable } from '../table';

const SECRETS: ResourceRef = { ...Resources.secrets, namespace: BOOTSTRAP_NAMESPACE };
const KUBECONFIG_FLAG = {
  flag: '--kubeconfig PATH',
  text: 'kubeconfig of the cluster (default: $KUBECONFIG, else <BOSUN_HOME>/kubeconfig)',
};

export const tokenCreateSpec: CommandSpec = {
  path: 'token create',
  description: `Create a bootstrap token on the cluster and print it.

A bootstrap token lets a new node join: \`bosun node join\` authenticates with it once, then
the node agent switches to a credential of its own. The token is a Secret
kube-system/bootstrap-token-<id> (Kubernetes' format, as \`kubeadm token create\` writes it);
it stops working when it expires or is deleted (\`bosun token delete <id>\`).`,
  usage: [
    'token create [--ttl 24h] [--description TEXT] [--print-join-command [--server URL]] [--kubeconfig PATH]',
  ],
  flags: {
    ttl: { type: 'string' },
    description: { type: 'string' },
    'print-join-command': { type: 'boolean' },
    server: { type: 'string' },
    kubeconfig: { type: 'string' },
  },
  flagHelp: [
    {
      flag: '--ttl DURATION',
      text: 'how long the token is valid, e.g. 2h, 1h30m, 90m; 0 never expires (default 24h)',
    },
    {
      flag: '--description TEXT',
      text: 'a note stored with the token, shown by `bosun token list`',
    },
    {
      flag: '--print-join-command',
      text: 'print the whole `bosun node join …` line (server, token, CA hash) instead of the token',
    },
    {
      flag: '--server URL',
      text: "the api-server address the new node reaches, in the join line (default: the kubeconfig's server)",
    },
    KUBECONFIG_FLAG,
  ],
  examples: [
    '# A token valid for 24 hours',
    'bosun token create',
    '',
    '# The command to run on the new node, with a token valid for 2 hours',
    'bosun token create --ttl 2h --description "rack 4" --print-join-command',
    '',
    '# The same, for nodes that reach the api-server through a load balancer',
    'bosun token create --print-join-command --server https://api.example.internal:6443',
  ],
};

export const tokenListSpec: CommandSpec = {
  path: 'token list',
  description:
    'List the bootstrap tokens on the cluster (their ids; the secret half is not shown).',
  usage: ['token list [--kubeconfig PATH]'],
  flags: { kubeconfig: { type: 'string' } },
  flagHelp: [KUBECONFIG_FLAG],
  examples: ['bosun token list'],
};

export const tokenDeleteSpec: CommandSpec = {
  path: 'token delete',
  description: 'Delete bootstrap tokens, by id or by whole token: they stop working at once.',
  usage: ['token delete <id|token>... [--kubeconfig PATH]'],
  flags: { kubeconfig: { type: 'string' } },
  flagHelp: [KUBECONFIG_FLAG],
  examples: ['bosun token delete abcdef', 'bosun token delete abcdef.0123456789abcdef'],
};

const SUBCOMMANDS = [tokenCreateSpec, tokenListSpec, tokenDeleteSpec];

export const tokenHelp = (): string =>
  `Manage bootstrap tokens: the credentials new nodes join with.

Usage:
  bosun token create [--ttl 24h] [--description TEXT] [--print-join-command]
  bosun token list
  bosun token delete <id|token>...

Run 'bosun token <command> --help' for a command's flags and examples.`;

/** `bosun token <create|list|delete>`. */
export async function token(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    out.info(tokenHelp());
    return 0;
  }
  const spec = SUBCOMMANDS.find((s) => s.path === `token ${sub}`);
  if (spec === undefined) {
    out.error(`unknown command "${sub}" for "bosun token"\nSee 'bosun token --help' for usage.`);
    return 2;
  }
  return runCommand(spec, rest, out, async (p) => {
    const kubeconfig = stringFlag(p, 'kubeconfig') || undefined;
    if (spec === tokenCreateSpec) {
      if (p.positionals.length > 0)
        throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
      const ttlMs = parseTtl(stringFlag(p, 'ttl', '24h'));
      const server = stringFlag(p, 'server');
      if (server && !booleanFlag(p, 'print-join-command'))
        throw new UsageError('--server only applies with --print-join-command');
      if (server) checkServerUrl(server);
      const conn = await loadConnection(env, kubeconfig);
      const created = await createToken(conn, {
        ttlMs,
        description: stringFlag(p, 'description'),
      });
      out.info(
        booleanFlag(p, 'print-join-command')
          ? joinCommand(server ? { ...conn, server } : conn, created)
          : tokenString(created),
      );
      return 0;
    }
    if (spec === tokenListSpec) {
      if (p.positionals.length > 0)
        throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
      const rows = await listTokens(await loadConnection(env, kubeconfig));
      out.info(
        rows.length === 0 ? 'No bootstrap tokens found.' : renderTokenList(rows, new Date()),
      );
      return 0;
    }
    if (p.positionals.length === 0) throw new UsageError('missing the id of the token to delete');
    const ids = p.positionals.map(tokenIdOf);
    const conn = await loadConnection(env, kubeconfig);
    let failed = false;
    for (const id of ids) {
      try {
        await deleteToken(conn, id);
        out.info(`bootstrap token "${id}" deleted`);
      } catch (e) {
        if (!isBosunError(e, ErrorCode.NotFound)) throw e;
        out.error(`bootstrap token "${id}" not found`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  });
}

function parseTtl(raw: string): number {
  try {
    return parseDuration(raw);
  } catch (e) {
    throw new UsageError(`invalid argument "${raw}" for "--ttl" flag: ${(e as Error).message}`);
  }
}

/** An id (`abcdef`) or a whole token (`abcdef.<secret>`): the id either way. */
export function tokenIdOf(arg: string): string {
  const id = arg.includes('.') ? arg.slice(0, arg.indexOf('.')) : arg;
  if (!TOKEN_ID_PATTERN.test(id)) {
    throw new UsageError(
      `"${arg}" is not a bootstrap token id: 6 characters of [a-z0-9], or a whole <id>.<secret> token`,
    );
  }
  return id;
}

export async function createToken(
  conn: Connection,
  opts: { ttlMs: number; description?: string; now?: Date },
): Promise<BootstrapToken> {
  const client = new ApiClient(conn);
  try {
    const now = opts.now ?? new Date();
    const expiration = opts.ttlMs > 0 ? new Date(now.getTime() + opts.ttlMs) : undefined;
    // A clash of two random 6-character ids is unlikely but possible: draw again then.
    for (let attempt = 0; ; attempt++) {
      const t = generateToken();
      try {
        await client.create(
          SECRETS,
          bootstrapSecret(t, { expiration, description: opts.description }),
        );
        return t;
      } catch (e) {
        if (!isBosunError(e, ErrorCode.AlreadyExists) || attempt >= 3) throw e;
      }
    }
  } finally {
    client.close();
  }
}

/** `--server` must be an https URL with a host, as `bosun node join` will need it. */
function checkServerUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--server "${raw}" is not a URL (e.g. https://10.0.0.1:6443)`);
  }
  if (url.protocol !== 'https:' || url.hostname === '')
    throw new UsageError(`--server "${raw}" must be an https URL with a host`);
}

/** `bosun node join …` for `t`, with the kubeconfig's (or --server's) server and its CA's key hash. */
export function joinCommand(conn: Connection, t: BootstrapToken): string {
  if (!conn.caPem) {
    throw new Error(
      'the kubeconfig has no certificate-authority-data, so the CA hash for --ca-cert-hash is unknown; print the token alone and join with --ca-file',
    );
  }
  const hash = caCertHash(
    readPemCertificate(conn.caPem, "the kubeconfig's certificate-authority-data"),
  );
  return `bosun node join ${conn.server} --token ${tokenString(t)} --ca-cert-hash ${hash}`;
}

export async function listTokens(conn: Connection): Promise<TokenRow[]> {
  const client = new ApiClient(conn);
  try {
    const list = await client.list<KubeObject>(SECRETS);
    return list.items.flatMap((s) => tokenRow(s) ?? []).sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    client.close();
  }
}

export function renderTokenList(rows: readonly TokenRow[], now: Date): string {
  return formatTable(
    ['ID', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'],
    rows.map((r) => {
      const left = r.expiration ? r.expiration.getTime() - now.getTime() : undefined;
      return [
        r.id,
        left === undefined ? '<forever>' : left <= 0 ? '<expired>' : shortDuration(left),
        r.expiration ? rfc3339(r.expiration) : '<never>',
        r.usages.join(',') || '<none>',
        r.description || '<none>',
        r.extraGroups.join(',') || '<none>',
      ];
    }),
  );
}

export async function deleteToken(conn: Connection, id: string): Promise<void> {
  const client = new ApiClient(conn);
  try {
    await client.delete(SECRETS, secretName(id));
  } finally {
    client.close();
  }
}
