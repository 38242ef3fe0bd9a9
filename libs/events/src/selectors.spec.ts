import type { StoreEvent } from '@bosun/store';
import { eventPredicate } from './selectors';

const event = (
  ns: string,
  name: string,
  labels: Record<string, string>,
  spec = {},
): StoreEvent => ({
  revision: 1,
  type: 'ADDED',
  key: { group: '', resource: 'pods', namespace: ns, name },
  object: { metadata: { name, namespace: ns, labels }, spec },
  prevRevision: 0,
  actor: '',
  time: '',
});

describe('eventPredicate', () => {
  const e = event('a', 'web-1', { app: 'web', tier: 'front' }, { nodeName: 'n1' });

  it('matches key fields', () => {
    expect(eventPredicate({ resource: 'pods', namespace: 'a' })(e)).toBe(true);
    expect(eventPredicate({ namespace: 'b' })(e)).toBe(false);
    expect(eventPredicate({ name: 'web-2' })(e)).toBe(false);
    expect(eventPredicate({ group: 'apps' })(e)).toBe(false);
  });

  it('matches label selectors with the store evaluator', () => {
    expect(eventPredicate({ labelSelector: 'app=web,tier in (front,back)' })(e)).toBe(true);
    expect(eventPredicate({ labelSelector: 'app!=web' })(e)).toBe(false);
    expect(eventPredicate({ labelSelector: '!tier' })(e)).toBe(false);
  });

  it('matches field selectors on the object', () => {
    expect(eventPredicate({ fieldSelector: 'spec.nodeName=n1' })(e)).toBe(true);
    expect(eventPredicate({ fieldSelector: 'metadata.name!=web-1' })(e)).toBe(false);
  });

  it('rejects a malformed selector with BadRequest', () => {
    expect(() => eventPredicate({ labelSelector: 'a in (' })).toThrow(
      expect.objectContaining({ code: 'BadRequest' }),
    );
  });
});
