import type { ResourceRef } from '@bosun/api-client';

/** The collections the controllers in this service read and write (cluster-wide refs). */
export const Resources = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  daemonSets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronJobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
} as const satisfies Record<string, ResourceRef>;

/** A ref narrowed to one namespace ('' keeps it cluster-scoped). */
export function inNamespace(ref: ResourceRef, namespace: string | undefined): ResourceRef {
  return namespace ? { ...ref, namespace } : { ...ref, namespace: undefined };
}
