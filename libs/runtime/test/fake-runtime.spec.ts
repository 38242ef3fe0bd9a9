import { ContainerState, ExitReason, FakeRuntime, execCollect } from '../src';
import { behaviourSuite, type BehaviourTarget } from './behaviour-suite';

const image = { ref: 'busybox', rootfs: '/nonexistent', cmd: ['sh'] };

describe('FakeRuntime behaviour', () => {
  const runtime = new FakeRuntime();
  const target: BehaviourTarget = {
    runtime,
    image,
    exit: async (id, code) => runtime.injectExit(id, code),
  };
  behaviourSuite(() => target, { runsProcesses: false, tty: false });
});

describe('FakeRuntime injection', () => {
  test('an injected OOM kill is reported as OOMKilled with its exit code', async () => {
    const runtime = new FakeRuntime();
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    const id = await runtime.createContainer(sb.id, { name: 'c', image });
    await runtime.startContainer(id);
    runtime.injectExit(id, 137, true);
    expect(await runtime.containerStatus(id)).toMatchObject({
      state: ContainerState.Exited,
      exitCode: 137,
      reason: ExitReason.OOMKilled,
    });
  });

  test('onStart decides the outcome of every container, at start', async () => {
    const runtime = new FakeRuntime({
      onStart: (c) => (c.name === 'job' ? { exitCode: 0 } : { run: true }),
    });
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    const job = await runtime.createContainer(sb.id, { name: 'job', image });
    const web = await runtime.createContainer(sb.id, { name: 'web', image });
    await runtime.startContainer(job);
    await runtime.startContainer(web);
    expect((await runtime.containerStatus(job)).reason).toBe(ExitReason.Completed);
    expect((await runtime.containerStatus(web)).state).toBe(ContainerState.Running);
  });

  test('exec answers come from onExec', async () => {
    const runtime = new FakeRuntime({
      onExec: (_id, r) => ({ stdout: r.command.join(' '), exitCode: 4 }),
    });
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    const id = await runtime.createContainer(sb.id, { name: 'c', image });
    await runtime.startContainer(id);
    expect(await execCollect(runtime, id, ['echo', 'x'])).toEqual({
      exitCode: 4,
      stdout: 'echo x',
      stderr: '',
    });
  });

  test('portForward is refused: a fake pod has no network', async () => {
    const runtime = new FakeRuntime();
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    await expect(runtime.portForward(sb.id, 80)).rejects.toMatchObject({ code: 'BadRequest' });
  });

  test('sandboxes get distinct IPs; host-network sandboxes none', async () => {
    const runtime = new FakeRuntime();
    const a = await runtime.runPodSandbox({ name: 'a', namespace: 'd', uid: 'a' });
    const b = await runtime.runPodSandbox({ name: 'b', namespace: 'd', uid: 'b' });
    const h = await runtime.runPodSandbox({
      name: 'h',
      namespace: 'd',
      uid: 'h',
      hostNetwork: true,
    });
    expect(a.ip).not.toEqual(b.ip);
    expect(h.ip).toBeUndefined();
  });

  test('ten thousand containers fit in one fake runtime', async () => {
    const runtime = new FakeRuntime();
    const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'd', uid: 'u' });
    for (let i = 0; i < 10_000; i++) {
      await runtime.startContainer(await runtime.createContainer(sb.id, { name: `c${i}`, image }));
    }
    expect(await runtime.listContainers({ state: ContainerState.Running })).toHaveLength(10_000);
  });
});
