import { parseMilli, parseQuantity } from './quantity';
import { nonZeroRequests, podRequests } from './resources';
import { makePod } from '../test/fixtures';

describe('parseQuantity', () => {
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
    expect(parseMilli('0.0001')).toBe(1);
    expect(parseMilli('250m')).toBe(250);
  });

  it('rejects malformed quantities with an Invalid BosunError', () => {
    expect(() => parseQuantity('12xyz')).toThrow(expect.objectContaining({ code: 'Invalid' }));
  });
});

describe('pod requests', () => {
  it('sums containers, takes the largest init container when bigger, and adds overhead', () => {
    const pod = makePod({
      spec: {
        containers: [
          { name: 'a', resources: { requests: { cpu: '100m', memory: '100Mi' } } },
          { name: 'b', resources: { requests: { cpu: '200m' } } },
        ],
        initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '10Mi' } } }],
        overhead: { cpu: '10m', memory: '1Mi' },
      },
    });
    const r = podRequests(pod);
    expect(r.milliCPU).toBe(1010);
    expect(r.memory).toBe(101 * 2 ** 20);
  });

  it('substitutes scoring defaults for containers without requests', () => {
    expect(nonZeroRequests(makePod())).toEqual({ milliCPU: 100, memory: 200 * 2 ** 20 });
  });
});
