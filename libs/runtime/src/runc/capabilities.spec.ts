import { DEFAULT_CAPABILITIES, resolveCapabilities } from './capabilities';

describe('resolveCapabilities', () => {
  test('the default is the Kubernetes set', () => {
    expect(resolveCapabilities()).toEqual(DEFAULT_CAPABILITIES.map((c) => `CAP_${c}`));
    expect(resolveCapabilities()).toHaveLength(14);
  });
  test('add and drop, with or without the CAP_ prefix', () => {
    const caps = resolveCapabilities(['NET_ADMIN'], ['cap_net_raw']);
    expect(caps).toContain('CAP_NET_ADMIN');
    expect(caps).not.toContain('CAP_NET_RAW');
  });
  test('drop ALL keeps only what is added', () => {
    expect(resolveCapabilities(['NET_BIND_SERVICE'], ['ALL'])).toEqual(['CAP_NET_BIND_SERVICE']);
  });
  test('privileged gets every capability', () => {
    expect(resolveCapabilities([], ['ALL'], true)).toContain('CAP_SYS_ADMIN');
  });
  test('an unknown capability is Invalid', () => {
    expect(() => resolveCapabilities(['NOPE'])).toThrow(
      expect.objectContaining({ code: 'Invalid' }),
    );
  });
});
