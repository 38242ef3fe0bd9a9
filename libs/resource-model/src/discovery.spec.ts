import { aggregatedDiscovery } from './aggregated-discovery';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery';

describe('legacy discovery documents', () => {
  it('answers /api with the core version', () => {
    expect(apiVersions('10.0.0.1:6443')).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('answers /apis with every named group and its preferred version', () => {
    const list = apiGroupList() as {
      groups: { name: string; preferredVersion: { groupVersion: string } }[];
    };
    expect(list).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
    expect(list.groups.map((g) => g.name)).toEqual([
      'apps',
      'batch',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'events.k8s.io',
    ]);
    expect(list.groups[0]?.preferredVersion.groupVersion).toBe('apps/v1');
    expect(apiGroup('batch')).toMatchObject({ kind: 'APIGroup', name: 'batch' });
    expect(apiGroup('nope')).toBeUndefined();
  });

  it('answers /api/v1 with resources and their subresources', () => {
    const list = apiResourceList('', 'v1');
    expect(list?.groupVersion).toBe('v1');
    const pods = list?.resources.find((r) => r.name === 'pods');
    expect(pods).toMatchObject({
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(pods?.storageVersionHash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(list?.resources.find((r) => r.name === 'pods/status')).toEqual({
      name: 'pods/status',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    });
    expect(list?.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['pods/binding', 'pods/log', 'pods/exec', 'pods/eviction']),
    );
    expect(list?.resources.find((r) => r.name === 'namespaces')?.namespaced).toBe(false);
  });

  it('names the Scale kind of the scale subresource', () => {
    const scale = apiResourceList('apps', 'v1')?.resources.find(
      (r) => r.name === 'deployments/scale',
    );
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(apiResourceList('apps', 'v2')).toBeUndefined();
  });
});

describe('aggregated discovery (apidiscovery.k8s.io/v2)', () => {
  it('answers /api with the core group only', () => {
    const doc = aggregatedDiscovery(true);
    expect(doc).toMatchObject({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
    });
    expect(doc.items).toHaveLength(1);
    const v1 = doc.items[0]?.versions[0];
    expect(v1?.version).toBe('v1');
    const pods = v1?.resources.find((r) => r.resource === 'pods');
    expect(pods).toMatchObject({
      responseKind: { group: '', version: '', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
    });
    expect(pods?.subresources?.find((s) => s.subresource === 'status')).toEqual({
      subresource: 'status',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      verbs: ['get', 'patch', 'update'],
    });
    expect(v1?.resources.find((r) => r.resource === 'nodes')?.scope).toBe('Cluster');
  });

  it('answers /apis with the named groups', () => {
    const doc = aggregatedDiscovery(false);
    expect(doc.items.map((i) => i.metadata.name)).toEqual([
      'apps',
      'batch',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'events.k8s.io',
    ]);
    const deploy = doc.items[0]?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    expect(deploy?.subresources?.find((s) => s.subresource === 'scale')?.responseKind).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(doc.items[0]?.versions[0]?.freshness).toBe('Current');
  });
});
