import { CidrSet, parseCidr } from './cidr-set';
import { nodeIpamConfig } from './node-ipam-config';

describe('CidrSet', () => {
  it('cuts the cluster CIDR into node ranges and finds them again', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(set.size).toBe(256);
    expect(set.cidrAt(0)).toBe('10.244.0.0/24');
    expect(set.cidrAt(255)).toBe('10.244.255.0/24');
    expect(set.indexOf('10.244.7.0/24')).toBe(7);
    expect(set.indexOf('10.244.7.0/25')).toBeUndefined();
    expect(set.indexOf('10.245.0.0/24')).toBeUndefined();
    expect(set.indexOf('fd00::/24')).toBeUndefined();
  });

  it('hands out the next free range, wrapping around, until none is left', () => {
    const set = new CidrSet('10.0.0.0/30', 31);
    expect(set.nextFree(new Set([0]))).toBe(1);
    expect(set.nextFree(new Set(), 1)).toBe(1);
    expect(set.nextFree(new Set([1]), 1)).toBe(0);
    expect(set.nextFree(new Set([0, 1]))).toBeUndefined();
  });

  it('works for IPv6', () => {
    const set = new CidrSet('fd00:10:244::/56', 64);
    expect(set.cidrAt(1)).toBe('fd00:10:244:1::/64');
    expect(set.indexOf('fd00:10:244:ff::/64')).toBe(255);
  });

  it('refuses ranges that cannot be cut, naming the settings', () => {
    expect(() => parseCidr('10.244.0.0')).toThrow('a CIDR such as');
    expect(() => new CidrSet('10.244.0.0/16', 8)).toThrow(/between the cluster CIDR's prefix/);
    expect(() => new CidrSet('10.0.0.0/8', 28)).toThrow(/more than 16 bits/);
    expect(() => nodeIpamConfig({ clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 33 })).toThrow(
      /CONTROLLER_MANAGER_CLUSTER_CIDR=10.244.0.0\/16 with CONTROLLER_MANAGER_NODE_CIDR_MASK_SIZE=33 is not valid/,
    );
  });
});
