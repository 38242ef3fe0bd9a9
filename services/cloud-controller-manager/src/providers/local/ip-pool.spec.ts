import { isBosunError } from '@bosun/common';
import { IpPool } from './ip-pool';

describe('IpPool', () => {
  it('hands out the host addresses of an IPv4 CIDR, lowest free first', () => {
    const pool = new IpPool('172.31.255.0/24');
    expect(pool.size).toBe(254n);
    expect(pool.allocate(new Set())).toBe('172.31.255.1');
    expect(pool.allocate(new Set(['172.31.255.1', '172.31.255.3']))).toBe('172.31.255.2');
  });

  it('normalizes a CIDR written with host bits set', () => {
    expect(new IpPool('10.1.2.77/29').cidr).toBe('10.1.2.72/29');
  });

  it('never hands out the network or broadcast address, and says when it is exhausted', () => {
    const pool = new IpPool('10.0.0.0/30');
    expect(pool.contains('10.0.0.0')).toBe(false);
    expect(pool.contains('10.0.0.3')).toBe(false);
    const taken = new Set<string>();
    taken.add(pool.allocate(taken));
    taken.add(pool.allocate(taken));
    expect([...taken]).toEqual(['10.0.0.1', '10.0.0.2']);
    try {
      pool.allocate(taken);
      throw new Error('not reached');
    } catch (e) {
      expect(isBosunError(e, 'ServiceUnavailable')).toBe(true);
      expect((e as Error).message).toContain('10.0.0.0/30 has no free address');
    }
  });

  it('uses every address of a /32 or /31', () => {
    expect(new IpPool('192.0.2.9/32').allocate(new Set())).toBe('192.0.2.9');
    expect(new IpPool('192.0.2.8/31').allocate(new Set(['192.0.2.8']))).toBe('192.0.2.9');
  });

  it('works for IPv6 and ignores addresses of the other family', () => {
    const pool = new IpPool('fd00:1::/120');
    expect(pool.allocate(new Set(['fd00:1::', '172.31.255.1']))).toBe('fd00:1::1');
    expect(pool.contains('fd00:1::ff')).toBe(true);
    expect(pool.contains('fd00:2::1')).toBe(false);
    expect(pool.normalize('FD00:1:0:0::5')).toBe('fd00:1::5');
  });

  it('answers contains() false for anything that is not an address', () => {
    expect(new IpPool('10.0.0.0/8').contains('not-an-ip')).toBe(false);
  });

  it.each(['', '10.0.0.0', '10.0.0.0/33', 'banana/8'])('rejects %p as a CIDR', (cidr) => {
    expect(() => new IpPool(cidr)).toThrow(/is not a CIDR/);
  });
});
