import fc from 'fast-check';
import { intFlag, parseFlags, UsageError, type FlagSpecs } from './flags';

const SPECS: FlagSpecs = {
  namespace: { type: 'string', short: 'n' },
  follow: { type: 'boolean', short: 'f' },
  ttl: { type: 'string' },
};

describe('strict flag parsing (kubectl style)', () => {
  it.each([
    [['--ttl', '2h'], { ttl: '2h' }],
    [['--ttl=2h'], { ttl: '2h' }],
    [['--ttl='], { ttl: '' }],
    [['-n', 'shop'], { namespace: 'shop' }],
    [['-nshop'], { namespace: 'shop' }],
    [['-n=shop'], { namespace: 'shop' }],
    [['--follow'], { follow: true }],
    [['-f'], { follow: true }],
    [['--follow=false'], { follow: false }],
    [['--ttl', '--follow'], { ttl: '--follow' }],
  ])('%j → %j', (args, flags) => {
    expect(parseFlags(args, SPECS).flags).toEqual(flags);
  });

  it('keeps positionals in order, and everything after -- as positionals', () => {
    expect(parseFlags(['deploy/web', '-n', 'x', '--', '--follow', '-'], SPECS)).toEqual({
      flags: { namespace: 'x' },
      positionals: ['deploy/web', '--follow', '-'],
    });
  });

  it.each([
    [['--nope'], 'unknown flag: --nope'],
    [['--nope=1'], 'unknown flag: --nope'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['--ttl'], 'flag needs an argument: --ttl'],
    [['-n'], 'flag needs an argument: -n'],
    [['--follow=yes'], 'invalid argument "yes" for "--follow" flag: not true or false'],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseFlags(args, SPECS)).toThrow(new UsageError(message));
  });

  it('reads integer flags strictly', () => {
    expect(intFlag(parseFlags(['--ttl', '42'], SPECS), 'ttl')).toBe(42);
    expect(intFlag(parseFlags([], SPECS), 'ttl')).toBeUndefined();
    for (const bad of ['-1', '1.5', '1e3', '', ' 1', '0x10']) {
      expect(() => intFlag(parseFlags([`--ttl=${bad}`], SPECS), 'ttl')).toThrow(UsageError);
    }
  });

  it('fuzz: any command line either parses or is a UsageError, never another failure', () => {
    const token = fc.oneof(
      fc.string(),
      fc.constantFrom('--', '-', '--ttl', '-n', '--follow', '-f', '--follow=true', '--x', '-nfoo'),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (args) => {
        try {
          const p = parseFlags(args, SPECS);
          for (const [k, v] of Object.entries(p.flags)) {
            expect(Object.keys(SPECS)).toContain(k);
            expect(typeof v).toBe(SPECS[k].type === 'boolean' ? 'boolean' : 'string');
          }
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
    );
  });

  it('fuzz: a value given as --flag VALUE or --flag=VALUE comes back unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(parseFlags(['--ttl', value], SPECS).flags.ttl).toBe(value);
        expect(parseFlags([`--ttl=${value}`], SPECS).flags.ttl).toBe(value);
      }),
    );
  });
});
