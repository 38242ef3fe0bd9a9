import { testing } from '@bosun/controller-kit';
import { FakeRuntime } from '@bosun/runtime';
import { RuntimeSnapshot } from './runtime-snapshot';

describe('RuntimeSnapshot', () => {
  const setup = async () => {
    const runtime = new FakeRuntime();
    const spy = jest.spyOn(runtime, 'listContainers');
    const clock = new testing.FakeClock();
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    return { runtime, spy, clock, sb, snapshot: new RuntimeSnapshot(runtime, clock, 500) };
  };
  const image = { ref: 'i', rootfs: '/x', cmd: ['run'] };

  it('shares one listing between readers while it is young', async () => {
    const { spy, snapshot, sb, clock } = await setup();
    await Promise.all([snapshot.containers(sb.id), snapshot.containers(sb.id)]);
    await snapshot.containers(sb.id);
    expect(spy).toHaveBeenCalledTimes(1);
    await clock.advance(501);
    await snapshot.containers(sb.id);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('gives a reader that marked a change a listing taken after it', async () => {
    const { runtime, snapshot, sb } = await setup();
    expect(await snapshot.containers(sb.id)).toEqual([]);
    const id = await runtime.createContainer(sb.id, { name: 'c', image });
    const mark = snapshot.mark();
    expect(await snapshot.containers(sb.id)).toEqual([]); // others may use the old one
    expect((await snapshot.containers(sb.id, mark)).map((c) => c.id)).toEqual([id]);
    expect((await snapshot.listing(sb.id, mark)).seq).toBeGreaterThanOrEqual(mark);
  });

  it('does not reuse a listing that was in flight before the change', async () => {
    const { runtime, snapshot, sb } = await setup();
    const before = snapshot.containers(sb.id);
    const id = await runtime.createContainer(sb.id, { name: 'c', image });
    const mark = snapshot.mark();
    const after = snapshot.containers(sb.id, mark);
    expect((await before).map((c) => c.id)).not.toContain(id);
    expect((await after).map((c) => c.id)).toEqual([id]);
  });
});
