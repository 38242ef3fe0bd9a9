import { stringify } from 'yaml';
import { writeSecret } from './pki';

export interface KubeconfigInput {
  readonly server: string;
  readonly caCertPem: string;
  readonly token: string;
  readonly name?: string;
}

/** A kubeconfig that kubectl and client libraries use as is. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.name ?? 'bosun';
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
    users: [{ name: `${name}-admin`, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await writeSecret(path, renderKubeconfig(input));
}
