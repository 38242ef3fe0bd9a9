import { CrashBackoff } from './crash-backoff';

describe('CrashBackoff', () => {
  const config = { initialMs: 10_000, maxMs: 40_000, resetAfterMs: 600_000 };

  it('lets the first restart go at once, then doubles the wait up to the cap', () => {
    const b = new CrashBackoff(config);
    expect(b.remaining('k', 0)).toBe(0);
    b.next('k', 0, 1000);
    expect(b.remaining('k', 1000)).toBe(9000);
    b.next('k', 10_000, 1000);
    expect(b.remaining('k', 10_000)).toBe(20_000);
    b.next('k', 30_000, 1000);
    expect(b.remaining('k', 30_000)).toBe(40_000);
    b.next('k', 70_000, 1000);
    expect(b.remaining('k', 70_000)).toBe(40_000);
  });

  it('starts over after a run longer than resetAfterMs', () => {
    const b = new CrashBackoff(config);
    b.next('k', 0, 0);
    b.next('k', 10_000, 0);
    b.next('k', 1_000_000, 700_000);
    expect(b.remaining('k', 1_000_000)).toBe(10_000);
  });

  it('keeps keys apart and forgets a pod by prefix', () => {
    const b = new CrashBackoff(config);
    b.next('uid1/a', 0, 0);
    b.next('uid2/a', 0, 0);
    b.forgetPrefix('uid1/');
    expect(b.remaining('uid1/a', 1)).toBe(0);
    expect(b.remaining('uid2/a', 1)).toBe(9999);
  });
});
