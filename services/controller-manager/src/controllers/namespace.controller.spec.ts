import type { Controller } from '@bosun/controller-kit';
import { Resources } from '../ports/resources';
import { createHarness, type Harness } from '../testing/harness';
import { namespaceController, type Namespace, RESWEEP_MS } from './namespace.controller';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

describe('namespace controller (unit, in-memory fakes)', () => {
  let h: Harness;
  let c: Controller;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.stop());

  const seedNs = (name: string) =>
    h.cluster.seed<Namespace>(Resources.namespaces, {
      metadata: { name },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });

  it('leaves live namespaces alone', async () => {
    seedNs('live');
    h.cluster.seed(CONFIGMAPS, { metadata: { name: 'a', namespace: 'live' } });
    c = await h.controller(namespaceController);
    await h.drain(c);
    expect(h.cluster.writes).toEqual([]);
  });

  it('deletes every namespaced object of a terminating namespace, then finalizes it', async () => {
    seedNs('doomed');
    seedNs('other');
    h.cluster.seed(CONFIGMAPS, { metadata: { name: 'a', namespace: 'doomed' } });
    h.cluster.seed(Resources.pods, { metadata: { name: 'p', namespace: 'doomed' } });
    h.cluster.seed(Resources.deployments, { metadata: { name: 'd', namespace: 'doomed' } });
    h.cluster.seed(CONFIGMAPS, { metadata: { name: 'keep', namespace: 'other' } });
    c = await h.controller(namespaceController);
    await h.cluster.delete(Resources.namespaces, '', 'doomed', {});
    // The fake marks it terminating: spec.finalizers holds it (metadata.finalizers is empty).
    await h.drain(c);
    const deleted = h.cluster.writes
      .filter((w) => w.verb === 'delete')
      .map((w) => `${w.resource} ${w.key}`);
    expect(deleted.sort()).toEqual([
      'configmaps doomed/a',
      'deployments doomed/d',
      'namespaces doomed',
      'pods doomed/p',
    ]);
    expect(h.cluster.writes.at(-1)).toMatchObject({ verb: 'finalize', key: 'doomed' });
    expect(h.cluster.get(Resources.namespaces, '', 'doomed')).toBeUndefined();
    expect(h.cluster.get(CONFIGMAPS, 'other', 'keep')).toBeDefined();
  });

  it('waits (requeues) while objects with finalizers are still terminating', async () => {
    seedNs('slow');
    h.cluster.seed(CONFIGMAPS, {
      metadata: { name: 'held', namespace: 'slow', finalizers: ['example.com/hold'] },
    });
    c = await h.controller(namespaceController);
    await h.cluster.delete(Resources.namespaces, '', 'slow', {});
    await h.drain(c);
    expect(h.cluster.writes.some((w) => w.verb === 'finalize')).toBe(false);
    const held = h.cluster.get(CONFIGMAPS, 'slow', 'held');
    await h.cluster.patch(CONFIGMAPS, 'slow', 'held', {
      metadata: { finalizers: null, resourceVersion: held?.metadata.resourceVersion },
    });
    await h.clock.advance(RESWEEP_MS);
    await h.drain(c);
    expect(h.cluster.get(Resources.namespaces, '', 'slow')).toBeUndefined();
  });
});
