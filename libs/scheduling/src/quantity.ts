import { BosunError, ErrorCode } from '@bosun/common';

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// A number with an optional exponent ("1e3"), then an optional SI or binary suffix ("Mi", "m").
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/;

/** Parses a Kubernetes resource.Quantity ("100m", "1.5Gi", "2", "1e3") into base units. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = QUANTITY.exec(value.trim());
  const factor = m ? SUFFIX[m[2]] : undefined;
  if (!m || factor === undefined) {
    throw new BosunError(ErrorCode.Invalid, `quantities must match ${QUANTITY}: "${value}"`);
  }
  return Number(m[1]) * factor;
}

/** Kubernetes rounds a quantity up to whole milli-units (MilliValue). */
export function parseMilli(value: string | number): number {
  return Math.ceil(parseQuantity(value) * 1000 - 1e-9);
}
