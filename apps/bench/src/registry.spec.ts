import { BENCHMARKS } from './registry';

describe('benchmark registry', () => {
  it('names every benchmark the issues ask for, each with at least one part', () => {
    expect(Object.keys(BENCHMARKS).sort()).toEqual(['api', 'pod-startup', 'scheduler', 'store']);
    for (const b of Object.values(BENCHMARKS)) expect(b.parts.length).toBeGreaterThan(0);
  });
});
