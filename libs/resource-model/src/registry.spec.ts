import { Resources } from '@bosun/api-types';
import { BosunError } from '@bosun/common';
import { defaultRegistry, parseApiVersion } from './registry';

describe('kind registry', () => {
  it('serves every kind of the brief exactly once per group/version/kind', () => {
    const gvks = defaultRegistry.kinds().map((k) => `${k.apiVersion}/${k.kind}`);
    expect(new Set(gvks).size).toBe(gvks.length);
    expect(gvks).toEqual(
      expect.arrayContaining([
        'v1/Namespace',
        'v1/Pod',
        'v1/Node',
        'v1/Service',
        'v1/Endpoints',
        'v1/ConfigMap',
        'v1/Secret',
        'v1/ServiceAccount',
        'v1/Event',
        'v1/PersistentVolume',
        'v1/PersistentVolumeClaim',
        'apps/v1/Deployment',
        'apps/v1/ReplicaSet',
        'apps/v1/DaemonSet',
        'apps/v1/StatefulSet',
        'batch/v1/Job',
        'batch/v1/CronJob',
        'coordination.k8s.io/v1/Lease',
        'discovery.k8s.io/v1/EndpointSlice',
        'events.k8s.io/v1/Event',
      ]),
    );
  });

  it('finds a kind by group, version and resource and gives its store type', () => {
    const d = defaultRegistry.byResource('apps', 'v1', 'deployments');
    expect(d?.kind).toBe('Deployment');
    expect(d?.type).toEqual({ group: 'apps', resource: 'deployments', namespaced: true });
    expect(d?.listKind).toBe('DeploymentList');
    expect(defaultRegistry.byResource('', 'v1', 'namespaces')?.type.namespaced).toBe(false);
    expect(defaultRegistry.byResource('apps', 'v1', 'pods')).toBeUndefined();
  });

  it('finds kinds by apiVersion+kind and by shortName', () => {
    expect(defaultRegistry.byApiVersionKind('batch/v1', 'CronJob')?.resource).toBe('cronjobs');
    for (const [short, resource] of [
      ['po', 'pods'],
      ['svc', 'services'],
      ['deploy', 'deployments'],
      ['rs', 'replicasets'],
      ['ds', 'daemonsets'],
      ['sts', 'statefulsets'],
      ['cm', 'configmaps'],
      ['ns', 'namespaces'],
      ['no', 'nodes'],
      ['ep', 'endpoints'],
      ['sa', 'serviceaccounts'],
      ['pv', 'persistentvolumes'],
      ['pvc', 'persistentvolumeclaims'],
      ['cj', 'cronjobs'],
    ]) {
      expect(defaultRegistry.byShortName(short)[0]?.resource).toBe(resource);
    }
    expect(defaultRegistry.byShortName('ev').map((k) => k.group)).toEqual(['', 'events.k8s.io']);
  });

  it('resolves what a user types like kubectl, core group first', () => {
    expect(defaultRegistry.resolve('po')?.kind).toBe('Pod');
    expect(defaultRegistry.resolve('Deployment')?.group).toBe('apps');
    expect(defaultRegistry.resolve('events')?.group).toBe('');
    expect(defaultRegistry.resolve('events.events.k8s.io')?.group).toBe('events.k8s.io');
  });

  it('lists indexed field selectors per kind', () => {
    const pods = defaultRegistry.byResource('', 'v1', 'pods');
    expect(pods?.selectableFields).toEqual(
      expect.arrayContaining([
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'status.phase',
      ]),
    );
    expect(defaultRegistry.byResource('', 'v1', 'nodes')?.selectableFields).toEqual([
      'metadata.name',
      'spec.unschedulable',
    ]);
    expect(defaultRegistry.byResource('', 'v1', 'secrets')?.fieldSelectors).toEqual(['type']);
  });

  it('answers NotFound for an unknown resource through require()', () => {
    expect(() => defaultRegistry.require('', 'v1', 'widgets')).toThrow(BosunError);
  });

  it('parses apiVersion strings', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
  });

  it('lists group versions core first', () => {
    expect(defaultRegistry.groupVersions()[0]).toEqual({ group: '', version: 'v1' });
  });

  it('serves every collection of the shared Resources table (@bosun/api-types)', () => {
    for (const r of Object.values(Resources)) {
      expect(defaultRegistry.byResource(r.group, r.version, r.resource)?.resource).toBe(r.resource);
    }
  });
});
