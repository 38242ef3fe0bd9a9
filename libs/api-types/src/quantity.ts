import { BosunError, ErrorCode } from '@bosun/common';

/**
 * Kubernetes' resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource), the one reader of
 * `100m`, `1.5Gi`, `500u` or `12e6` in Bosun:
 *
 *   quantity        ::= signedNumber suffix
 *   signedNumber    ::= number | sign number          sign ::= "+" | "-"
 *   number          ::= digits | digits "." digits | digits "." | "." digits
 *   suffix          ::= binarySI | decimalExponent | decimalSI
 *   binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   decimalSI       ::= n | u | m | "" | k | M | G | T | P | E
 *   decimalExponent ::= ("e" | "E") signedInteger
 *
 * It follows the Go scanner (parseQuantityString) rather than the comment above it: the parser
 * takes `n` and `u`, a number part without digits (`.`, `-`) is zero, and `1.G` is fine; `K`
 * (upper case), `ki`, `mi`, whitespace anywhere and a second sign are refused. The value is exact
 * (a bigint mantissa), so rounding is Kubernetes' and not a float's: `value()` and `milliValue()`
 * round away from zero like Quantity.Value() and MilliValue().
 */

const DecimalSI: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const BinarySI: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

// The Go scanner's shape: sign, digits, optional fraction, then a suffix made of the letters
// "eEinumkKMGTP", an optional sign and digits. Which suffixes mean something is decided after.
const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[+-]?\d*)$/;
const EXPONENT = /^[eE]([+-]?\d+)$/;

// Go reads the exponent into an int32; larger ones wrap there, here they are refused.
const MAX_EXPONENT = 2 ** 31 - 1;
// Binary-SI amounts are capped at the largest int64, as ParseQuantity does.
const MAX_BINARY = 2n ** 63n - 1n;
// Past 10^400 a double is Infinity; below 10^-400 any non-zero amount rounds to one unit.
const BEYOND_DOUBLE = 400;
const NANO = 10n ** 9n;

/** A parsed resource.Quantity: ±mantissa × 10^exp10 × 2^exp2, exactly. */
export class Quantity {
  private constructor(
    private readonly mantissa: bigint,
    private readonly exp10: number,
    private readonly exp2: number,
  ) {}

  /** Reads a quantity; a JSON number is read as its decimal text. Throws an Invalid BosunError. */
  static parse(text: string | number): Quantity {
    const q = Quantity.tryParse(text);
    if (q === undefined) {
      throw new BosunError(
        ErrorCode.Invalid,
        `"${text}" is not a quantity (Kubernetes' resource.Quantity: 100m, 1.5Gi, 500u, 12e6)`,
        { context: { quantity: String(text) } },
      );
    }
    return q;
  }

  /** Like parse, for optional fields: undefined when absent or not a quantity. */
  static tryParse(text: string | number | undefined): Quantity | undefined {
    if (text === undefined) return undefined;
    const s = typeof text === 'number' ? String(text) : text;
    const m = s === '' ? null : SHAPE.exec(s);
    if (!m) return undefined;
    const [sign, whole, fraction, suffix] = [m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4] ?? ''];
    let exp10: number;
    let exp2 = 0;
    if (suffix in DecimalSI) exp10 = DecimalSI[suffix]!;
    else if (suffix in BinarySI) {
      exp10 = 0;
      exp2 = BinarySI[suffix]!;
    } else {
      const e = EXPONENT.exec(suffix);
      if (!e) return undefined;
      exp10 = Number(e[1]);
      if (Math.abs(exp10) > MAX_EXPONENT) return undefined;
    }
    const digits = BigInt(`${whole}${fraction}` || '0');
    const mantissa = sign === '-' ? -digits : digits;
    const q = new Quantity(mantissa, exp10 - fraction.length, exp2);
    return exp2 > 0 ? q.capBinary() : q;
  }

  /** The value rounded away from zero to whole units: Kubernetes' Value(). */
  value(): number {
    return toNumber(this.scaled(0));
  }

  /** The value in thousandths, rounded away from zero: Kubernetes' MilliValue(). */
  milliValue(): number {
    return toNumber(this.scaled(3));
  }

  /**
   * The value as the nearest double, after Kubernetes' rounding of every parsed amount away
   * from zero to whole nano units (`1e-12` is `1n`).
   */
  toNumber(): number {
    const nanos = this.scaled(9);
    if (typeof nanos === 'number') return nanos;
    // Whole units and the fraction apart, so that integers stay exact.
    return Number(nanos / NANO) + Number(nanos % NANO) / 1e9;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  /** value × 10^scale as an integer, rounded away from zero; ±Infinity past a double's range. */
  private scaled(scale: number): bigint | number {
    const m = this.mantissa;
    if (m === 0n) return 0n;
    const sign = m < 0n ? -1n : 1n;
    const abs = m * sign;
    const e = this.exp10 + scale;
    const magnitude = abs.toString().length + e + this.exp2 * Math.LOG10E * Math.LN2;
    if (magnitude > BEYOND_DOUBLE) return Number(sign) * Infinity;
    if (magnitude < -1) return sign; // 0 < |value| < 0.1: one unit away from zero
    const num = abs * 2n ** BigInt(this.exp2) * 10n ** BigInt(Math.max(e, 0));
    const den = 10n ** BigInt(Math.max(-e, 0));
    const q = num / den;
    return sign * (q * den === num ? q : q + 1n);
  }

  // A binary-SI quantity has no exponent of ten but its fraction digits (exp10 <= 0).
  private capBinary(): Quantity {
    const negative = this.mantissa < 0n;
    const abs = negative ? -this.mantissa : this.mantissa;
    if (abs * 2n ** BigInt(this.exp2) <= MAX_BINARY * 10n ** BigInt(-this.exp10)) return this;
    return new Quantity(negative ? -MAX_BINARY : MAX_BINARY, 0, 0);
  }
}

const toNumber = (v: bigint | number): number => (typeof v === 'bigint' ? Number(v) : v);

/** Reads a quantity as a number of base units (cores, bytes); throws an Invalid BosunError. */
export function parseQuantity(text: string | number): number {
  return Quantity.parse(text).toNumber();
}
