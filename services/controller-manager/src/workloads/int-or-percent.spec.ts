import { resolveFenceposts, scaledValue } from './int-or-percent';

describe('maxSurge / maxUnavailable resolution', () => {
  it('rounds surge up and unavailable down, as Kubernetes does', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('30%', '30%', 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(2, 0, 5)).toEqual({ surge: 2, unavailable: 0 });
  });
  it('lets one pod be unavailable when both resolve to 0', () => {
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
  });
  it('defaults to 25% and accepts integer strings', () => {
    expect(resolveFenceposts(undefined, undefined, 4)).toEqual({ surge: 1, unavailable: 1 });
    expect(scaledValue('3', 10, true, 0)).toBe(3);
    expect(() => scaledValue('x%', 10, true, 0)).toThrow(/invalid/);
  });
});
