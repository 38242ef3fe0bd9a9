import { tmpdir } from 'node:os';
import { createLogger } from '@bosun/common';
import { FakeRuntime } from './fake/fake-runtime';
import { chooseRuntime, selectRuntime } from './select-runtime';

describe('chooseRuntime', () => {
  test('root with runc and conmon installed gets runc', () => {
    expect(
      chooseRuntime(
        { runcBinary: '/bin/sh', conmonBinary: '/bin/sh' },
        { uid: 0, platform: 'linux' },
      ),
    ).toMatchObject({ name: 'runc' });
  });
  test('no conmon falls back to process, and says why', () => {
    const choice = chooseRuntime(
      { runcBinary: '/bin/sh', conmonBinary: '/nonexistent/conmon' },
      { uid: 0, platform: 'linux' },
    );
    expect(choice).toEqual({
      name: 'process',
      reason: '/nonexistent/conmon is not installed (apt-get install conmon)',
    });
  });
  test('not root falls back to process, and says why', () => {
    expect(chooseRuntime({ runcBinary: '/bin/sh' }, { uid: 1000, platform: 'linux' })).toEqual({
      name: 'process',
      reason: 'not root (uid 1000): runc needs root',
    });
  });
  test('no runc binary falls back to process, and says why', () => {
    const choice = chooseRuntime(
      { runcBinary: '/nonexistent/runc' },
      { uid: 0, platform: 'linux' },
    );
    expect(choice.name).toBe('process');
    expect(choice.reason).toMatch(/not installed/);
  });
  test('fake only on request', () => {
    expect(chooseRuntime({ runtime: 'fake' }, { uid: 0, platform: 'linux' }).name).toBe('fake');
  });
});

describe('selectRuntime', () => {
  test('builds the runtime it chose and reports why', async () => {
    const logger = createLogger('test', 'silent');
    const fake = await selectRuntime({ runtime: 'fake', root: '/nonexistent', logger });
    expect(fake.runtime).toBeInstanceOf(FakeRuntime);
    expect(fake.choice.reason).toMatch(/requested/);
    const proc = await selectRuntime({ runtime: 'process', root: tmpdir(), logger });
    expect(proc.runtime.info()).toMatchObject({ name: 'process', isolated: false });
    await proc.runtime.close();
  });

  test('runc without a pod CIDR is refused', async () => {
    const logger = createLogger('test', 'silent');
    await expect(selectRuntime({ runtime: 'runc', root: tmpdir(), logger })).rejects.toMatchObject({
      code: 'Invalid',
    });
  });
});
