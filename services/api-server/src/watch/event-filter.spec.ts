import type { StoredObject, StoreEvent } from '@bosun/store';
import { selectionTracker, selectorMatcher } from './event-filter';

const obj = (name: string, tier: string): StoredObject => ({
  metadata: { name, namespace: 'd', labels: { tier } },
});
const ev = (type: StoreEvent['type'], o: StoredObject, revision = 1): StoreEvent => ({
  revision,
  type,
  key: { group: '', resource: 'configmaps', namespace: 'd', name: o.metadata.name ?? '' },
  object: o,
  prevRevision: 0,
  actor: '',
  time: '',
});

describe('selectionTracker', () => {
  const selects = selectorMatcher({ labelSelector: 'tier=web' }, ['metadata.name']);

  it('after an initial list: entering is ADDED, leaving is DELETED, outsiders are silent', () => {
    const view = selectionTracker(selects, [obj('a', 'web')]);
    expect(view(ev('MODIFIED', obj('a', 'db')))?.type).toBe('DELETED');
    expect(view(ev('MODIFIED', obj('a', 'db')))).toBeUndefined();
    expect(view(ev('MODIFIED', obj('a', 'web')))?.type).toBe('ADDED');
    expect(view(ev('MODIFIED', obj('a', 'web')))?.type).toBe('MODIFIED');
    expect(view(ev('DELETED', obj('a', 'web')))?.type).toBe('DELETED');
    expect(view(ev('ADDED', obj('b', 'db')))).toBeUndefined();
    expect(view(ev('DELETED', obj('b', 'db')))).toBeUndefined();
  });

  it('resumed from a revision: keeps event types for unseen matching objects', () => {
    const view = selectionTracker(selects, undefined);
    expect(view(ev('MODIFIED', obj('a', 'web')))?.type).toBe('MODIFIED');
    expect(view(ev('MODIFIED', obj('a', 'db')))?.type).toBe('DELETED');
    expect(view(ev('MODIFIED', obj('c', 'db')))).toBeUndefined();
  });
});
