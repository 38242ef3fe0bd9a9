import fc from 'fast-check';
import { parseDuration, shortDuration } from './duration';

describe('Go durations (kubeadm --ttl)', () => {
  it.each([
    ['0', 0],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['2h45m10s', 9_910_000],
    ['.5s', 500],
    ['+10m', 600_000],
    ['1000us', 1],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '24', '1d', '1 h', 'h', '-1h', '1h 30m', '1H', '.s', '1.2.3s', '24hours', '0s0'])(
    '%j is refused with a message',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/invalid duration/);
    },
  );

  it('fuzz: a sum of terms parses to the sum', () => {
    const term = fc.record({
      n: fc.integer({ min: 0, max: 10_000 }),
      unit: fc.constantFrom('ms', 's', 'm', 'h'),
    });
    const ms: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 5 }), (terms) => {
        const text = terms.map((t) => `${t.n}${t.unit}`).join('');
        expect(parseDuration(text)).toBe(terms.reduce((s, t) => s + t.n * ms[t.unit], 0));
      }),
    );
  });

  it('fuzz: any text parses to a finite non-negative number or throws a plain Error', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const v = parseDuration(text);
          expect(Number.isFinite(v) && v >= 0).toBe(true);
        } catch (e) {
          expect((e as Error).message).toMatch(/^invalid duration/);
        }
      }),
    );
  });

  it('prints short ages as kubectl does', () => {
    expect(shortDuration(45_000)).toBe('45s');
    expect(shortDuration(59 * 60_000)).toBe('59m');
    expect(shortDuration(23 * 3_600_000 + 59 * 60_000)).toBe('23h');
    expect(shortDuration(6 * 86_400_000)).toBe('6d');
  });
});
