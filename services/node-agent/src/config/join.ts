import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadKubeconfig, type Connection } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import { stringify } from 'yaml';

export interface JoinConfig {
  readonly kubeconfig: string;
  readonly apiServer: string;
  readonly bootstrapToken: string;
  readonly caFile: string;
  readonly root: string;
  readonly nodeName: string;
}

/**
 * How the agent reaches the api-server: a kubeconfig path, or (joining) the server URL, a bootstrap
 * token and the CA file, written into `<root>/kubeconfig` with mode 0600 for the next start.
 */
export async function resolveConnection(cfg: JoinConfig): Promise<Connection> {
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
  const caPem = cfg.caFile ? await readFile(cfg.caFile, 'utf8') : undefined;
  await writeKubeconfig(saved, cfg.apiServer, cfg.bootstrapToken, cfg.nodeName, caPem);
  return { server: cfg.apiServer, token: cfg.bootstrapToken, caPem, namespace: 'default' };
}

/** Writes a kubeconfig readable by root only (it holds a bearer token). */
export async function writeKubeconfig(
  path: string,
  server: string,
  token: string,
  user: string,
  caPem?: string,
): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'bosun',
        cluster: {
          server,
          ...(caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : {}),
        },
      },
    ],
    users: [{ name: `system:node:${user}`, user: { token } }],
    contexts: [{ name: 'bosun', context: { cluster: 'bosun', user: `system:node:${user}` } }],
    'current-context': 'bosun',
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
  await chmod(path, 0o600);
}
