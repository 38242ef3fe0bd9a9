import { readFile } from 'node:fs/promises';
import { BosunError, ErrorCode } from '@bosun/common';
import { parse } from 'yaml';

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
