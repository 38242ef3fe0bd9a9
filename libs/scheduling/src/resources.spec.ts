import { nonZeroRequests, podRequests } from './resources';
import { makePod } from '../test/fixtures';

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
