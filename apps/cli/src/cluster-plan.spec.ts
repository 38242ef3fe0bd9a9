import {
  chooseSubnet,
  clusterId,
  Isolation,
  MAX_NODES,
  overlaps,
  planCluster,
} from './cluster-plan';
import { chooseNodeRuntime, describeRuntime } from './runtime-choice';
import { parseUpArgs } from './commands/up';
import { bar, progressLine } from './progress';

describe('cluster plan (names, subnets, ports)', () => {
  const home = '/tmp/bosun-a';

  it('derives every host-global name from BOSUN_HOME, within the kernel limits', () => {
    const subnet = chooseSubnet(clusterId(home), []);
    const plan = planCluster({
      home,
      nodes: 3,
      runtime: 'runc',
      isolation: Isolation.Netns,
      subnet,
    });
    const id = clusterId(home);
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(plan.network!.bridge).toBe(`bsn-${id}`);
    expect(plan.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(plan.nodes.map((n) => n.netns)).toEqual([1, 2, 3].map((i) => `bosun-${id}-node-${i}`));
    for (const n of plan.nodes) expect(n.hostVeth!.length).toBeLessThanOrEqual(15);
    expect(plan.network!.bridge.length).toBeLessThanOrEqual(15);
    expect(
      planCluster({ home, nodes: 240, runtime: 'runc', isolation: Isolation.Netns, subnet })
        .nodes[239].hostVeth!.length,
    ).toBeLessThanOrEqual(15);
  });

  it('gives each node its own address on the cluster /24 and its own pod CIDR; the host is .1', () => {
    const plan = planCluster({
      home,
      nodes: 2,
      runtime: 'runc',
      isolation: Isolation.Netns,
      subnet: '10.150.7.0/24',
    });
    expect(plan.hostAddress).toBe('10.150.7.1');
    expect(plan.nodes.map((n) => [n.address, n.podCIDR, n.root])).toEqual([
      ['10.150.7.11', '10.244.1.0/24', '/tmp/bosun-a/nodes/node-1'],
      ['10.150.7.12', '10.244.2.0/24', '/tmp/bosun-a/nodes/node-2'],
    ]);
  });

  it('is the same plan on every start from the same home, and a different one from another home', () => {
    const a1 = planCluster({
      home,
      nodes: 2,
      runtime: 'runc',
      isolation: Isolation.Netns,
      subnet: chooseSubnet(clusterId(home), []),
    });
    const a2 = planCluster({
      home,
      nodes: 2,
      runtime: 'runc',
      isolation: Isolation.Netns,
      subnet: chooseSubnet(clusterId(home), []),
    });
    expect(a2).toEqual(a1);
    const other = '/tmp/bosun-b';
    const b = planCluster({
      home: other,
      nodes: 2,
      runtime: 'runc',
      isolation: Isolation.Netns,
      subnet: chooseSubnet(clusterId(other), []),
    });
    expect(b.network!.bridge).not.toBe(a1.network!.bridge);
    expect(b.nodes[0].netns).not.toBe(a1.nodes[0].netns);
    expect(b.nodes[0].hostVeth).not.toBe(a1.nodes[0].hostVeth);
  });

  it('chooses a subnet clear of Kubernetes ranges and of what the host routes', () => {
    const id = clusterId(home);
    const first = chooseSubnet(id, []);
    expect(first).toMatch(/^10\.(12[89]|1[3-8]\d|19[01])\.\d{1,3}\.0\/24$/);
    expect(overlaps(first, '10.96.0.0/12')).toBe(false);
    expect(overlaps(first, '10.244.0.0/16')).toBe(false);
    const second = chooseSubnet(id, [first, '192.168.0.0/16']);
    expect(second).not.toBe(first);
    expect(chooseSubnet(id, ['10.128.0.0/11'])).toMatch(/^10\.(1[6-8]\d|19[01])\./);
    expect(() => chooseSubnet(id, ['10.0.0.0/8'])).toThrow(/no free \/24/);
  });

  it('process nodes live on loopback with the ports they are given', () => {
    const plan = planCluster({
      home,
      nodes: 2,
      runtime: 'process',
      isolation: Isolation.None,
      ports: [
        [4001, 4002],
        [4003, 4004],
      ],
    });
    expect(plan.network).toBeUndefined();
    expect(plan.hostAddress).toBe('127.0.0.1');
    expect(plan.nodes.map((n) => [n.address, n.grpcPort, n.healthPort, n.netns])).toEqual([
      ['127.0.0.1', 4001, 4002, undefined],
      ['127.0.0.1', 4003, 4004, undefined],
    ]);
    expect(() =>
      planCluster({
        home,
        nodes: 2,
        runtime: 'process',
        isolation: Isolation.None,
        ports: [[1, 2]],
      }),
    ).toThrow(/no ports for node-2/);
  });

  it('refuses node counts out of range and a malformed subnet', () => {
    for (const nodes of [0, -1, 1.5, MAX_NODES + 1]) {
      expect(() =>
        planCluster({
          home,
          nodes,
          runtime: 'runc',
          isolation: Isolation.Netns,
          subnet: '10.150.7.0/24',
        }),
      ).toThrow(/node count/);
    }
    expect(() =>
      planCluster({
        home,
        nodes: 1,
        runtime: 'runc',
        isolation: Isolation.Netns,
        subnet: '10.150.7.0/16',
      }),
    ).toThrow(/10.x.y.0\/24/);
  });

  it('overlaps() compares IPv4 CIDRs', () => {
    expect(overlaps('10.1.2.0/24', '10.1.0.0/16')).toBe(true);
    expect(overlaps('10.1.2.0/24', '10.1.3.0/24')).toBe(false);
    expect(overlaps('10.1.2.7', '10.1.2.0/24')).toBe(true);
    expect(overlaps('0.0.0.0/0', '10.1.2.0/24')).toBe(true);
  });
});

describe('runtime choice', () => {
  const host = (uid: number, missing: string[] = []) => ({
    uid,
    platform: 'linux',
    has: (p: string) => !missing.includes(p),
  });

  it('runc in namespaces as root with runc, conmon, ip and nsenter; process otherwise, saying why', () => {
    expect(chooseNodeRuntime(undefined, host(0))).toEqual({
      runtime: 'runc',
      isolation: 'netns',
      reason: 'root with runc',
    });
    const notRoot = chooseNodeRuntime(undefined, host(1000));
    expect(notRoot).toMatchObject({ runtime: 'process', isolation: 'none', reason: 'not root' });
    expect(describeRuntime(notRoot)).toBe('process (no isolation: not root)');
    expect(chooseNodeRuntime(undefined, host(0, ['/usr/sbin/runc'])).reason).toMatch(/^no runc/);
    expect(chooseNodeRuntime(undefined, host(0, ['/usr/bin/conmon'])).reason).toMatch(/^no conmon/);
    expect(chooseNodeRuntime(undefined, host(0, ['/usr/sbin/ip'])).reason).toMatch(/^no iproute2/);
    expect(chooseNodeRuntime('process', host(0))).toMatchObject({
      runtime: 'process',
      reason: 'requested',
    });
  });

  it('--runtime runc where it cannot run is an error naming what is missing', () => {
    expect(() => chooseNodeRuntime('runc', host(1000))).toThrow(
      '--runtime runc cannot run here: not root',
    );
  });
});

describe('bosun up flags', () => {
  it('parses --nodes and --runtime', () => {
    expect(parseUpArgs(['--nodes', '3', '--runtime', 'process'])).toEqual({
      nodes: 3,
      runtime: 'process',
      help: false,
    });
    expect(parseUpArgs(['--nodes=1'])).toEqual({ nodes: 1, runtime: undefined, help: false });
    expect(parseUpArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--nodes', 'two'], /--nodes must be a whole number/],
    [['--nodes', '0'], /--nodes must be a whole number/],
    [['--nodes', '1e1'], /--nodes must be a whole number/],
    [['--runtime', 'docker'], /--runtime must be runc or process/],
    [['--node', '2'], /Unknown option '--node'/],
    [['extra'], /unexpected argument "extra"/],
  ])('rejects %j', (args, message) => {
    expect(() => parseUpArgs(args)).toThrow(message);
  });
});

describe('progress', () => {
  it('draws finished steps as a bar with the seconds of the current wait', () => {
    expect(bar(0, 4, 8)).toBe('▕░░░░░░░░▏');
    expect(bar(2, 4, 8)).toBe('▕████░░░░▏');
    expect(bar(4, 4, 8)).toBe('▕████████▏');
    expect(progressLine(3, 6, 'waiting for node-2 to be Ready', 12_400)).toBe(
      '[3/6] waiting for node-2 to be Ready ▕████░░░░░░░░▏ 12 s',
    );
  });
});
