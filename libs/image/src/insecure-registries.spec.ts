import { isInsecureRegistry, parseInsecureRegistries } from './insecure-registries';

describe('isInsecureRegistry', () => {
  it.each([
    ['127.0.0.1:5000', [], true],
    ['localhost:5000', [], true],
    ['10.1.2.3:5000', [], false],
    ['10.1.2.3:5000', ['10.1.2.3:5000'], true],
    ['10.1.2.3:5001', ['10.1.2.3:5000'], false],
    ['10.1.2.3:5000', ['10.0.0.0/8'], true],
    ['10.1.2.3', ['10.1.2.0/24'], true],
    ['11.1.2.3:5000', ['10.0.0.0/8'], false],
    ['registry.local:5000', ['10.0.0.0/8'], false],
    ['registry.local:5000', ['registry.local:5000'], true],
    ['[fd00::5]:5000', ['fd00::/8'], true],
    ['docker.io', ['0.0.0.0/0'], false],
  ] as const)('%s with %j -> %s', (registry, list, want) => {
    expect(isInsecureRegistry(registry, list)).toBe(want);
  });
});

describe('parseInsecureRegistries', () => {
  it('splits, trims and keeps host:port, host and CIDR entries', () => {
    expect(parseInsecureRegistries(' 10.0.0.0/8, reg.local:5000 ,,reg2 ')).toEqual([
      '10.0.0.0/8',
      'reg.local:5000',
      'reg2',
    ]);
    expect(parseInsecureRegistries('')).toEqual([]);
  });

  it.each(['10.0.0.0/33', 'not a host', 'nope/8', 'http://reg:5000'])(
    'refuses %j with a message naming it',
    (raw) => {
      expect(() => parseInsecureRegistries(raw)).toThrow(JSON.stringify(raw));
    },
  );
});
