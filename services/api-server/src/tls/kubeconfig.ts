import { stringify } from 'yaml';
import { writeSecret } from './pki';

export interface KubeconfigInput {
  readonly server: string;
  readonly caCertPem: string;
  readonly token: string;
  readonly name?: string;
  /** The kubeconfig user entry's name (default `<name>-admin`). */
  readonly user?: string;
}

/** A kubeconfig that kubectl and client libraries use as is. */
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
          'certificate-authority-data': Buffer.from(input.caCertPem).toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await writeSecret(path, renderKubeconfig(input));
}
