import { BosunError, ErrorCode } from '@bosun/common';
import type { Store } from '@bosun/store';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
const NAMESPACES = { group: '', resource: 'namespaces', namespaced: false } as const;

/** Creates the namespaces every Kubernetes cluster has; concurrent api-servers may race here. */
export async function ensureSystemNamespaces(store: Store): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await store.create(
        NAMESPACES,
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
          spec: {},
          status: { phase: 'Active' },
        },
        { actor: 'system:apiserver' },
      );
    } catch (e) {
      if (!(e instanceof BosunError && e.code === ErrorCode.AlreadyExists)) throw e;
    }
  }
}
