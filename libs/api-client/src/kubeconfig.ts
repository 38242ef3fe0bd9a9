import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BosunError, ErrorCode } from '@bosun/common';
import { parse, stringify } from 'yaml';

/** Where and how to reach an api-server. */
export interface Connection {
  readonly server: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem?: string;
  readonly token?: string;
  readonly namespace: string;
}

interface Named<T> {
  readonly name: string;
  readonly [key: string]: unknown;
  readonly value?: T;
}

function pick<T>(list: unknown, name: string, field: string): T {
  const entry = (Array.isArray(list) ? (list as Named<T>[]) : []).find((e) => e.name === name);
  const value = entry?.[field] as T | undefined;
  if (value === undefined) {
    throw new BosunError(ErrorCode.Invalid, `kubeconfig has no ${field} named "${name}"`);
  }
  return value;
}

/**
 * A component's kubeconfig named by one of its settings (`SCHEDULER_KUBECONFIG`...): a missing or
 * unreadable file stops start-up with a message naming the setting and what to do.
 */
export async function loadComponentKubeconfig(setting: string, path: string): Promise<Connection> {
  try {
    return await loadKubeconfig(path);
  } catch (e) {
    throw new BosunError(
      ErrorCode.Invalid,
      `${setting}=${path}: cannot read a kubeconfig there (${e instanceof Error ? e.message : String(e)}); start the api-server first or point it at one`,
      { cause: e },
    );
  }
}

/** Reads the current context of a kubeconfig (token and CA data; no exec plugins). */
export async function loadKubeconfig(path: string): Promise<Connection> {
  const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const current = String(doc['current-context'] ?? '');
  const ctx = pick<{ cluster: string; user: string; namespace?: string }>(
    doc.contexts,
    current,
    'context',
  );
  const cluster = pick<Record<string, string>>(doc.clusters, ctx.cluster, 'cluster');
  const user = pick<Record<string, string>>(doc.users, ctx.user, 'user');
  const caData = cluster['certificate-authority-data'];
  return {
    server: cluster.server,
    caPem: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined,
    token: user.token,
    namespace: ctx.namespace ?? 'default',
  };
}

export interface KubeconfigInput {
  readonly server: string;
  /** PEM of the CA that signed the server's certificate (absent: the system's trust store). */
  readonly caPem?: string;
  readonly token: string;
  /** The user entry's name, e.g. `system:node:node-1` (default `<name>-admin`). */
  readonly user?: string;
  /** The cluster and context name (default `bosun`). */
  readonly name?: string;
  /** The context's namespace (default `default`). */
  readonly namespace?: string;
}

/** A kubeconfig with one cluster, user and context, which kubectl and client libraries use as is. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.name ?? 'bosun';
  const user = input.user ?? `${name}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: input.server,
          ...(input.caPem
            ? { 'certificate-authority-data': Buffer.from(input.caPem).toString('base64') }
            : {}),
        },
      },
    ],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: input.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/**
 * Writes a kubeconfig readable by its owner only (0600, also when the file existed with a looser
 * mode): it holds a bearer token. Creates the directory (0700) when missing.
 */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, renderKubeconfig(input), { mode: 0o600 });
  await chmod(path, 0o600);
}
