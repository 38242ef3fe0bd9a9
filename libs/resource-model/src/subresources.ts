import type { SubresourceDefinition } from './kind-definition';

/** Subresource building blocks shared by several kinds of the registry table. */
export const STATUS: SubresourceDefinition = { name: 'status', verbs: ['get', 'patch', 'update'] };

export const SCALE: SubresourceDefinition = {
  name: 'scale',
  verbs: ['get', 'patch', 'update'],
  kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
};

export const POD_SUBRESOURCES: readonly SubresourceDefinition[] = [
  {
    name: 'attach',
    verbs: ['create', 'get'],
    kind: { group: '', version: 'v1', kind: 'PodAttachOptions' },
  },
  { name: 'binding', verbs: ['create'], kind: { group: '', version: 'v1', kind: 'Binding' } },
  { name: 'ephemeralcontainers', verbs: ['get', 'patch', 'update'] },
  {
    name: 'eviction',
    verbs: ['create'],
    kind: { group: 'policy', version: 'v1', kind: 'Eviction' },
  },
  {
    name: 'exec',
    verbs: ['create', 'get'],
    kind: { group: '', version: 'v1', kind: 'PodExecOptions' },
  },
  { name: 'log', verbs: ['get'] },
  {
    name: 'portforward',
    verbs: ['create', 'get'],
    kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' },
  },
  STATUS,
];
