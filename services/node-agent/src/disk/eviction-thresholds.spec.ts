import fc from 'fast-check';
import { isBosunError, ErrorCode } from '@bosun/common';
import {
  DEFAULT_EVICTION_HARD,
  parseEvictionThresholds,
  thresholdAmount,
} from './eviction-thresholds';

describe('parseEvictionThresholds (--eviction-hard)', () => {
  it('parses the default', () => {
    expect(parseEvictionThresholds(DEFAULT_EVICTION_HARD)).toEqual([
      { signal: 'memory.available', value: { quantity: 100 * 2 ** 20 } },
      { signal: 'nodefs.available', value: { percentage: 10 } },
      { signal: 'nodefs.inodesFree', value: { percentage: 5 } },
    ]);
  });

  it('accepts spaces, quantities and imagefs; empty turns eviction off', () => {
    expect(parseEvictionThresholds(' imagefs.available < 1Gi , nodefs.inodesFree<1k')).toEqual([
      { signal: 'imagefs.available', value: { quantity: 2 ** 30 } },
      { signal: 'nodefs.inodesFree', value: { quantity: 1000 } },
    ]);
    expect(parseEvictionThresholds('')).toEqual([]);
  });

  it.each([
    ['nodefs.available>10%', /signal<value/],
    ['nodefs.available<=10%', /signal<value/],
    ['disk.available<10%', /unknown signal "disk.available"/],
    ['nodefs.available<0%', /percentage must be in/],
    ['nodefs.available<101%', /percentage must be in/],
    ['nodefs.available<-1Gi', /not a non-negative quantity/],
    ['nodefs.available<10 %', /signal<value/],
    ['nodefs.available<ten', /not a non-negative quantity/],
    ['nodefs.available<10%,nodefs.available<5%', /given twice/],
    ['nodefs.available<10%,', /signal<value/],
  ])('refuses %s', (raw, message) => {
    const err = (() => {
      try {
        parseEvictionThresholds(raw);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isBosunError(err, ErrorCode.Invalid)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('never throws anything but an Invalid BosunError, and what it accepts round-trips (fuzz)', () => {
    const signal = fc.constantFrom(
      'memory.available',
      'nodefs.available',
      'nodefs.inodesFree',
      'imagefs.available',
      'imagefs.inodesFree',
      'pid.available',
      'bogus',
      '',
    );
    const value = fc.oneof(
      fc.integer({ min: -5, max: 120 }).map((n) => `${n}%`),
      fc.constantFrom('100Mi', '1Gi', '0', '5k', '1.5Gi', 'x', '', '%', '1e3'),
      fc.string(),
    );
    const statement = fc.oneof(
      fc.tuple(signal, fc.constantFrom('<', '>', '=', '<='), value).map((t) => t.join('')),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), (parts) => {
        const raw = parts.join(',');
        let parsed;
        try {
          parsed = parseEvictionThresholds(raw);
        } catch (e) {
          expect(isBosunError(e, ErrorCode.Invalid)).toBe(true);
          return;
        }
        const again = parseEvictionThresholds(
          parsed
            .map((t) =>
              'percentage' in t.value
                ? `${t.signal}<${t.value.percentage}%`
                : `${t.signal}<${t.value.quantity}`,
            )
            .join(','),
        );
        expect(again).toEqual(parsed);
        for (const t of parsed) {
          const amount = thresholdAmount(t, 1000);
          expect(amount).toBeGreaterThanOrEqual(0);
          if ('percentage' in t.value) expect(amount).toBeLessThanOrEqual(1000);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
