import fc from 'fast-check';
import {
  discoverResources,
  parseObjectArg,
  resolveResourceType,
  resourcesOf,
  type ApiResourceInfo,
} from './kinds';

const core = resourcesOf('', 'v1', {
  resources: [
    {
      name: 'configmaps',
      singularName: 'configmap',
      kind: 'ConfigMap',
      namespaced: true,
      shortNames: ['cm'],
    },
    { name: 'events', singularName: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
    { name: 'nodes', singularName: 'node', kind: 'Node', namespaced: false, shortNames: ['no'] },
    { name: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'] },
    { name: 'pods/status', singularName: '', kind: 'Pod', namespaced: true },
  ],
});
const apps = resourcesOf('apps', 'v1', {
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      kind: 'Deployment',
      namespaced: true,
      shortNames: ['deploy'],
    },
    { name: 'deployments/scale', singularName: '', kind: 'Scale', namespaced: true },
  ],
});
const evk8s = resourcesOf('events.k8s.io', 'v1', {
  resources: [
    { name: 'events', singularName: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  ],
});
const ALL: ApiResourceInfo[] = [...core, ...apps, ...evk8s];
const key = (r: ApiResourceInfo): string => `${r.resource}.${r.version}.${r.group}`;

describe('resource types as kubectl resolves them', () => {
  it.each([
    ['deploy', 'deployments.v1.apps'],
    ['deployment', 'deployments.v1.apps'],
    ['deployments', 'deployments.v1.apps'],
    ['Deployment', 'deployments.v1.apps'],
    ['DEPLOY', 'deployments.v1.apps'],
    ['deployments.apps', 'deployments.v1.apps'],
    ['deployment.apps', 'deployments.v1.apps'],
    ['deploy.apps', 'deployments.v1.apps'],
    ['deployments.v1.apps', 'deployments.v1.apps'],
    ['cm', 'configmaps.v1.'],
    ['configmap', 'configmaps.v1.'],
    ['no', 'nodes.v1.'],
    ['events', 'events.v1.'],
    ['ev', 'events.v1.'],
    ['events.events.k8s.io', 'events.v1.events.k8s.io'],
  ])('%s → %s', (type, expected) => {
    expect(key(resolveResourceType(type, ALL))).toBe(expected);
  });

  it.each(['x', 'deployments.core', 'deployments.v2.apps', 'pods/status', 'status', 'scale', ''])(
    'unknown %j: the server does not have it',
    (type) => {
      expect(() => resolveResourceType(type, ALL)).toThrow(
        `the server doesn't have a resource type "${type}"`,
      );
    },
  );

  it('leaves subresources out of discovery', () => {
    expect(ALL.map((r) => r.resource)).not.toContain('pods/status');
    expect(ALL.find((r) => r.resource === 'nodes')?.namespaced).toBe(false);
  });

  it('reads /api/v1 then each group preferred version from /apis', async () => {
    const docs: Record<string, unknown> = {
      '/apis': { groups: [{ name: 'apps', preferredVersion: { version: 'v1' } }] },
      '/api/v1': {
        resources: [{ name: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true }],
      },
      '/apis/apps/v1': {
        resources: [
          { name: 'deployments', singularName: 'deployment', kind: 'Deployment', namespaced: true },
        ],
      },
    };
    const got = await discoverResources(async (p) => docs[p]);
    expect(got.map(key)).toEqual(['pods.v1.', 'deployments.v1.apps']);
  });
});

describe('<type>/<name> arguments', () => {
  it.each([
    [['deploy/web'], { type: 'deploy', name: 'web' }],
    [['deploy', 'web'], { type: 'deploy', name: 'web' }],
    [['deployments.apps/web-1.x'], { type: 'deployments.apps', name: 'web-1.x' }],
  ])('%j', (args, expected) => {
    expect(parseObjectArg(args)).toEqual(expected);
  });

  it.each([
    [[]],
    [['deploy']],
    [['/web']],
    [['deploy/']],
    [['a/b/c']],
    [['a', 'b', 'c']],
    [['a/b', 'c']],
  ])('%j is not one object', (args) => {
    expect(parseObjectArg(args)).toBeUndefined();
  });

  it('fuzz: never throws; what it returns has a non-empty type and name without slashes', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 3 }), (args) => {
        const r = parseObjectArg(args);
        if (r === undefined) return;
        expect(r.type).not.toBe('');
        expect(r.name).not.toBe('');
        expect(r.type + r.name).not.toContain('/');
      }),
    );
  });
});
