import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipam } from './ipam';

describe('Ipam', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-ipam-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('hands out distinct addresses after the gateway, stable per owner', async () => {
    const ipam = new Ipam('10.244.3.0/24', join(dir, 'ipam.json'));
    expect(ipam.gateway).toBe('10.244.3.1');
    const ips = await Promise.all(['a', 'b', 'c'].map((o) => ipam.allocate(o)));
    expect(new Set(ips).size).toBe(3);
    expect(ips).not.toContain('10.244.3.0');
    expect(ips).not.toContain('10.244.3.1');
    expect(await ipam.allocate('b')).toBe(ips[1]);
  });

  test('allocations survive a new instance; released addresses are reused', async () => {
    const file = join(dir, 'ipam.json');
    const first = new Ipam('10.244.3.0/24', file);
    const a = await first.allocate('a');
    const second = new Ipam('10.244.3.0/24', file);
    expect(await second.allocate('a')).toBe(a);
    expect(await second.allocate('b')).not.toBe(a);
    await second.release('a');
    expect(Object.values(await second.allocations())).toEqual(['b']);
    expect(await second.allocate('c')).toBe(a);
  });

  test('a full CIDR is Unavailable; a bad CIDR is Invalid', async () => {
    const ipam = new Ipam('10.244.3.0/30', join(dir, 'ipam.json'));
    await ipam.allocate('a'); // .2 — .1 is the gateway, .3 the broadcast
    await expect(ipam.allocate('b')).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(() => new Ipam('10.244.3.0/33', join(dir, 'x'))).toThrow(
      expect.objectContaining({ code: 'Invalid' }),
    );
    expect(() => new Ipam('not-a-cidr', join(dir, 'x'))).toThrow(
      expect.objectContaining({ code: 'Invalid' }),
    );
  });
});
