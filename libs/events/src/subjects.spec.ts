import { allEventsSubject, eventSubject, filterSubject, streamName } from './subjects';

describe('subjects', () => {
  const key = { group: '', resource: 'pods', namespace: 'default', name: 'p' };

  it('names one stream per prefix', () => {
    expect(streamName('bosun')).toBe('bosun_EVENTS');
    expect(allEventsSubject('bosun')).toBe('bosun.ev.>');
  });

  it('maps the core group to "core", dots in a group to "_", cluster scope to "_"', () => {
    expect(eventSubject('b', key)).toBe('b.ev.core.pods.default');
    expect(eventSubject('b', { ...key, group: 'networking.k8s.io', resource: 'ingresses' })).toBe(
      'b.ev.networking_k8s_io.ingresses.default',
    );
    expect(eventSubject('b', { ...key, resource: 'nodes', namespace: '' })).toBe(
      'b.ev.core.nodes._',
    );
  });

  it('fixes what a filter fixes and wildcards the rest', () => {
    expect(filterSubject('b')).toBe('b.ev.>');
    expect(filterSubject('b', { labelSelector: 'a=b' })).toBe('b.ev.>');
    expect(filterSubject('b', { resource: 'pods' })).toBe('b.ev.*.pods.*');
    expect(filterSubject('b', { group: 'apps', resource: 'deployments', namespace: 'x' })).toBe(
      'b.ev.apps.deployments.x',
    );
    expect(filterSubject('b', { namespace: '' })).toBe('b.ev.*.*._');
  });
});
