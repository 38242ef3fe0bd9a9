import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig, writeKubeconfig, type Connection } from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import { parse } from 'yaml';

export interface JoinConfig {
  readonly kubeconfig: string;
  readonly apiServer: string;
  readonly bootstrapToken: string;
  readonly caFile: string;
  readonly root: string;
  readonly nodeName: string;
}

/** The node's lasting credential: same names as the api-server's auth/node-token.ts. */
export const NODE_TOKEN_SECRET_TYPE = 'bosun.dev/node-token';
export const nodeTokenSecretName = (nodeName: string): string => `node-token-${nodeName}`;
const SECRETS = { ...Resources.secrets, namespace: 'kube-system' };

/**
 * How the agent reaches the api-server:
 * - NODE_AGENT_KUBECONFIG: that kubeconfig, as is;
 * - NODE_AGENT_API_SERVER + NODE_AGENT_BOOTSTRAP_TOKEN (join): unless `<root>/kubeconfig` already
 *   holds this node's working node token for that server, generate a node token, create the
 *   Secret `kube-system/node-token-<node>` with the bootstrap token (a new node only), and write
 *   `<root>/kubeconfig` (0600) with the node token. The bootstrap token is never used again, so
 *   it may expire or be deleted;
 * - neither: `<root>/kubeconfig` from an earlier join.
 */
export async function resolveConnection(cfg: JoinConfig, log?: Logger): Promise<Connection> {
  if (cfg.kubeconfig) return loadKubeconfig(cfg.kubeconfig);
  const saved = join(cfg.root, 'kubeconfig');
  if (!cfg.apiServer || !cfg.bootstrapToken) {
    try {
      return await loadKubeconfig(saved);
    } catch (e) {
      throw new BosunError(
        ErrorCode.Invalid,
        'no api-server credentials: set NODE_AGENT_KUBECONFIG, or NODE_AGENT_API_SERVER with NODE_AGENT_BOOTSTRAP_TOKEN',
        { cause: e },
      );
    }
  }
  const caPem = cfg.caFile ? await readCa(cfg.caFile) : undefined;
  const previous = await savedNodeConnection(saved, cfg);
  if (previous && (await stillAccepted(previous, cfg.nodeName))) {
    log?.info({ node: cfg.nodeName }, 'using the node token of an earlier join');
    return previous;
  }
  const token = randomBytes(32).toString('base64url');
  await publishNodeToken(
    { server: cfg.apiServer, token: cfg.bootstrapToken, caPem, namespace: 'default' },
    cfg.nodeName,
    token,
  );
  await writeKubeconfig(saved, {
    server: cfg.apiServer,
    token,
    user: `system:node:${cfg.nodeName}`,
    caPem,
  });
  log?.info({ node: cfg.nodeName }, 'joined with the bootstrap token; node token saved');
  return { server: cfg.apiServer, token, caPem, namespace: 'default' };
}

async function readCa(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new BosunError(ErrorCode.Invalid, `cannot read NODE_AGENT_CA_FILE ${path}`, {
      cause: e,
    });
  }
}

/** `<root>/kubeconfig` when it holds this node's token (not the bootstrap one) for the same server. */
async function savedNodeConnection(path: string, cfg: JoinConfig): Promise<Connection | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const doc = parse(await readFile(path, 'utf8')) as { users?: { name?: string }[] };
    const mine = doc.users?.some((u) => u.name === `system:node:${cfg.nodeName}`) ?? false;
    const conn = await loadKubeconfig(path);
    return mine && conn.server === cfg.apiServer && conn.token !== cfg.bootstrapToken
      ? conn
      : undefined;
  } catch {
    return undefined;
  }
}

/** False only when the api-server says the token is not valid (401); unreachable counts as yes. */
async function stillAccepted(conn: Connection, nodeName: string): Promise<boolean> {
  const client = new ApiClient(conn);
  try {
    await client.get(Resources.nodes, nodeName);
    return true;
  } catch (e) {
    return !(e instanceof BosunError && e.code === ErrorCode.Unauthorized);
  } finally {
    client.close();
  }
}

/**
 * Creates `kube-system/node-token-<node>`. A bootstrap token registers new nodes only: when the
 * node exists already (its token Secret or its Node) the api-server refuses, and an administrator
 * deletes the Node (and its node-token Secret) before it joins again.
 */
export async function publishNodeToken(
  bootstrap: Connection,
  nodeName: string,
  token: string,
): Promise<void> {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: nodeTokenSecretName(nodeName), namespace: 'kube-system' },
    type: NODE_TOKEN_SECRET_TYPE,
    data: { 'node-name': b64(nodeName), token: b64(token) },
  };
  const client = new ApiClient(bootstrap);
  try {
    await client.create(SECRETS, secret).catch((e: unknown) => {
      if (!(e instanceof BosunError && e.code === ErrorCode.AlreadyExists)) throw e;
      throw new BosunError(
        ErrorCode.AlreadyExists,
        `node "${nodeName}" joined before (kube-system/${secret.metadata.name} exists): delete the Node and that Secret to join it again`,
        { cause: e },
      );
    });
  } catch (e) {
    const why = e instanceof BosunError ? e.message : String(e);
    throw new BosunError(
      ErrorCode.Invalid,
      `joining ${bootstrap.server} as node "${nodeName}" with the bootstrap token failed: ${why}`,
      { cause: e },
    );
  } finally {
    client.close();
  }
}
