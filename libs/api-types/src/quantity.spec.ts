import fc from 'fast-check';
import { parseQuantity, Quantity } from './quantity';

describe('Quantity grammar', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['+1', 1],
    ['-3.5k', -3500],
    ['100m', 0.1],
    ['500u', 0.0005],
    ['250n', 2.5e-7],
    ['1k', 1e3],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 2 ** 10],
    ['128Mi', 128 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['12e6', 12e6],
    ['12E6', 12e6],
    ['1e-3', 1e-3],
    ['1e+3', 1e3],
    ['1.5e3', 1500],
    ['5.', 5],
    ['.5', 0.5],
    ['1.G', 1e9],
    ['007', 7],
    // Kubernetes' scanner reads a number part without digits as zero.
    ['.', 0],
    ['-', 0],
  ])('reads %s as %d', (text, value) => {
    expect(Quantity.parse(text).toNumber()).toBeCloseTo(value, 12);
  });

  it('reads a JSON number as its decimal text', () => {
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity(0.25)).toBe(0.25);
    expect(parseQuantity(1e21)).toBe(1e21);
    expect(parseQuantity(1e-7)).toBeCloseTo(1e-7, 15);
  });

  it.each([
    [''],
    [' 1'],
    ['1 '],
    ['1 Gi'],
    ['1K'],
    ['1ki'],
    ['0.1mi'],
    ['0.1am'],
    ['aoeu'],
    ['.5i'],
    ['1i'],
    ['-3.01i'],
    ['-3.01e-'],
    ['1e'],
    ['1Ee3'],
    ['1e3e'],
    ['1Mi5'],
    ['1.1.M'],
    ['1+1.0M'],
    ['--1'],
    ['+-1'],
    ['12xyz'],
    ['5Xi'],
    ['1e2147483648'],
  ])('refuses %j', (text) => {
    expect(Quantity.tryParse(text)).toBeUndefined();
    expect(() => Quantity.parse(text)).toThrow(expect.objectContaining({ code: 'Invalid' }));
  });

  it('refuses numbers that have no decimal text', () => {
    expect(Quantity.tryParse(NaN)).toBeUndefined();
    expect(Quantity.tryParse(Infinity)).toBeUndefined();
    expect(Quantity.tryParse(undefined)).toBeUndefined();
  });

  it('rounds away from zero like Value() and MilliValue()', () => {
    expect(Quantity.parse('1.1').value()).toBe(2);
    expect(Quantity.parse('-1.1').value()).toBe(-2);
    expect(Quantity.parse('0.0001').milliValue()).toBe(1);
    expect(Quantity.parse('-0.0001').milliValue()).toBe(-1);
    expect(Quantity.parse('500u').milliValue()).toBe(1);
    expect(Quantity.parse('250m').milliValue()).toBe(250);
    expect(Quantity.parse('0.1').milliValue()).toBe(100);
    expect(Quantity.parse('1e-300').value()).toBe(1);
    expect(Quantity.parse('0').value()).toBe(0);
  });

  it('rounds every parsed amount up to whole nano units', () => {
    expect(Quantity.parse('1e-12').toNumber()).toBe(1e-9);
    expect(Quantity.parse('-1e-12').toNumber()).toBe(-1e-9);
  });

  it('caps binary-SI amounts at the largest int64, as ParseQuantity does', () => {
    expect(Quantity.parse('9Ei').value()).toBe(Number(2n ** 63n - 1n));
    expect(Quantity.parse('-9Ei').value()).toBe(-Number(2n ** 63n - 1n));
    expect(Quantity.parse('7Ei').value()).toBe(7 * 2 ** 60);
    // Decimal amounts have no cap.
    expect(Quantity.parse('9E').value()).toBe(9e18);
  });

  it('answers Infinity past the range of a double, without computing the digits', () => {
    expect(Quantity.parse('1e2147483647').toNumber()).toBe(Infinity);
    expect(Quantity.parse('-1e400').value()).toBe(-Infinity);
  });
});

describe('quantities the scheduler reads (moved from libs/scheduling)', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['2k', 2000],
    ['1Ki', 1024],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1e3', 1000],
    ['1M', 1e6],
    [2, 2],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  it('rounds CPU up to millicores', () => {
    expect(Quantity.parse('0.0001').milliValue()).toBe(1);
    expect(Quantity.parse('250m').milliValue()).toBe(250);
  });

  it('rejects malformed quantities with an Invalid BosunError', () => {
    expect(() => parseQuantity('12xyz')).toThrow(expect.objectContaining({ code: 'Invalid' }));
  });
});

describe('quantities the node agent reads (moved from services/node-agent)', () => {
  it('reads Kubernetes quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('64Mi')).toBe(64 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(Quantity.tryParse('abc')).toBeUndefined();
    expect(Quantity.tryParse('5Xi')).toBeUndefined();
  });
});

const Suffixes: Record<string, [exp10: number, exp2: number]> = {
  n: [-9, 0],
  u: [-6, 0],
  m: [-3, 0],
  '': [0, 0],
  k: [3, 0],
  M: [6, 0],
  G: [9, 0],
  T: [12, 0],
  P: [15, 0],
  E: [18, 0],
  Ki: [0, 10],
  Mi: [0, 20],
  Gi: [0, 30],
  Ti: [0, 40],
  Pi: [0, 50],
};

const MaxInt64 = 2n ** 63n - 1n;
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** ceil-away-from-zero(num / den) for den > 0: the reference the property tests compare to. */
const divAway = (num: bigint, den: bigint): bigint => {
  const q = num / den;
  if (q * den === num) return q;
  return num < 0n ? q - 1n : q + 1n;
};

describe('Quantity grammar (properties)', () => {
  const digits = fc.stringMatching(/^\d{0,12}$/);
  const suffix = fc.oneof(
    fc
      .constantFrom(...Object.keys(Suffixes))
      .map((s) => ({ text: s, e10: Suffixes[s]![0], e2: Suffixes[s]![1] })),
    fc.integer({ min: -20, max: 20 }).map((e) => ({ text: `e${e}`, e10: e, e2: 0 })),
  );

  it('reads sign, digits, fraction and suffix exactly (milli units)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '+', '-'),
        digits,
        digits,
        suffix,
        (sign, whole, frac, sfx) => {
          fc.pre(whole !== '' || frac !== '');
          const text = `${sign}${whole}${frac ? `.${frac}` : ''}${sfx.text}`;
          const mantissa = BigInt(`${sign === '-' ? '-' : ''}${whole}${frac}` || '0');
          // value × 1000 = mantissa × 2^e2 × 10^(e10 - |frac| + 3)
          const e = sfx.e10 - frac.length + 3;
          const num = mantissa * 2n ** BigInt(sfx.e2) * 10n ** BigInt(Math.max(e, 0));
          const capped =
            sfx.e2 > 0 &&
            abs(mantissa) * 2n ** BigInt(sfx.e2) > MaxInt64 * 10n ** BigInt(frac.length);
          const expected = capped
            ? (mantissa < 0n ? -MaxInt64 : MaxInt64) * 1000n
            : divAway(num, 10n ** BigInt(Math.max(-e, 0)));
          expect(Quantity.parse(text).milliValue()).toBe(Number(expected));
        },
      ),
    );
  });

  it('agrees with JavaScript on plain decimal numbers', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e15, noNaN: true }), (n) => {
        // Within Kubernetes' nano rounding and a double's last bit.
        const error = Math.abs(parseQuantity(String(n)) - n);
        expect(error).toBeLessThanOrEqual(1e-9 + n * 1e-15);
      }),
    );
  });

  it('refuses any text with a character outside the grammar', () => {
    const outside = fc
      .string({ minLength: 1, maxLength: 1 })
      .filter((c) => !/[0-9.+\-eEinumkKMGTP]/.test(c));
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), outside, fc.string({ maxLength: 6 }), (a, c, b) => {
        expect(Quantity.tryParse(`${a}${c}${b}`)).toBeUndefined();
      }),
    );
  });
});
