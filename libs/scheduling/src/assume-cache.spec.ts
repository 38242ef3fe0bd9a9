import { testing } from '@bosun/controller-kit';
import { ClusterSnapshot, makeNode, makePod } from '../test/fixtures';
import { AssumeCache } from './assume-cache';

function setup() {
  const clock = new testing.FakeClock();
  const snapshot = ClusterSnapshot.of([makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })]);
  return { clock, snapshot, cache: new AssumeCache(snapshot, { clock, ttlMs: 30_000 }) };
}

describe('AssumeCache', () => {
  it('counts an assumed pod in the snapshot at once', () => {
    const { snapshot, cache } = setup();
    cache.assume(makePod({ cpu: '1500m' }), 'a');
    expect(snapshot.get('a')!.requested.milliCPU).toBe(1500);
    expect(snapshot.get('a')!.pods.size).toBe(1);
  });

  it('gives the room back when the bind fails', () => {
    const { snapshot, cache } = setup();
    const pod = makePod({ cpu: '1' });
    cache.assume(pod, 'a');
    cache.forget(pod);
    expect(snapshot.get('a')!.requested.milliCPU).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('replaces the assumption with the confirmed pod, even on another node', () => {
    const { snapshot, cache } = setup();
    const pod = makePod({ cpu: '1' });
    cache.assume(pod, 'a');
    cache.confirm({ ...pod, spec: { ...pod.spec, nodeName: 'b' } });
    expect(cache.isAssumed(pod)).toBe(false);
    expect(snapshot.get('a')!.pods.size).toBe(0);
    expect(snapshot.get('b')!.pods.size).toBe(1);
  });

  it('expires a bound-but-never-confirmed pod after the TTL, never one still binding', async () => {
    const { clock, snapshot, cache } = setup();
    const bound = makePod({ cpu: '1' });
    const binding = makePod({ cpu: '1' });
    cache.assume(bound, 'a');
    cache.assume(binding, 'a');
    cache.finishBinding(bound);
    await clock.advance(29_999);
    expect(cache.cleanupExpired()).toEqual([]);
    await clock.advance(1);
    expect(cache.cleanupExpired().map((p) => p.metadata.name)).toEqual([bound.metadata.name]);
    expect(snapshot.get('a')!.pods.size).toBe(1);
    expect(cache.isAssumed(binding)).toBe(true);
  });
});
