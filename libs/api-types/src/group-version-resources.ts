/** One collection of the API: `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

const core = (resource: string) => ({ group: '', version: 'v1', resource }) as const;

/**
 * The collections Bosun's components read and write, by kind: the one place a group, version
 * and plural name is spelled. The api-server's registry (`@bosun/resource-model` kinds.ts) serves
 * each of them; its tests check that the two agree.
 */
export const Resources = {
  namespaces: core('namespaces'),
  pods: core('pods'),
  nodes: core('nodes'),
  services: core('services'),
  endpoints: core('endpoints'),
  configMaps: core('configmaps'),
  secrets: core('secrets'),
  serviceAccounts: core('serviceaccounts'),
  events: core('events'),
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  daemonSets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronJobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
} as const satisfies Record<string, GroupVersionResource>;
