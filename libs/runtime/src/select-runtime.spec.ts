import { chooseRuntime } from './select-runtime';

describe('chooseRuntime', () => {
  test('root with runc installed gets runc', () => {
    expect(chooseRuntime({ runcBinary: '/bin/sh' }, { uid: 0, platform: 'linux' })).toMatchObject({
      name: 'runc',
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
