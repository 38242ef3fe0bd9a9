import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Logger } from '@bosun/common';
import { Ipam } from './ipam';
import { run, tryRun } from './command';

const IP = '/usr/sbin/ip';
export const NETNS_DIR = '/var/run/netns';

export interface PodNetworkOptions {
  /** Node bridge (at most 15 characters), e.g. `bosun0`. */
  readonly bridge: string;
  /** The node's pod CIDR; the first host address is the bridge's (the pods' gateway). */
  readonly podCidr: string;
  /** File the IP allocations persist in. */
  readonly ipamFile: string;
  readonly logger: Logger;
}

export interface SandboxNetwork {
  readonly netnsName: string;
  readonly netnsPath: string;
  readonly ip: string;
  readonly hostVeth: string;
}

/**
 * The pod network of one node: a Linux bridge carrying the pod CIDR, and per sandbox a network
 * namespace (`ip netns add`, so it outlives every process and can be joined by path) wired to
 * the bridge with a veth pair, an address from the IPAM, loopback up and a default route.
 */
export class PodNetwork {
  readonly ipam: Ipam;

  constructor(private readonly options: PodNetworkOptions) {
    this.ipam = new Ipam(options.podCidr, options.ipamFile);
  }

  get bridge(): string {
    return this.options.bridge;
  }

  async ensureBridge(): Promise<void> {
    const { bridge } = this.options;
    if (!(await tryRun(IP, ['link', 'show', 'dev', bridge]))) {
      await run(IP, ['link', 'add', 'name', bridge, 'type', 'bridge']);
      this.options.logger.info({ bridge, cidr: this.options.podCidr }, 'created pod bridge');
    }
    const gw = `${this.ipam.gateway}/${this.ipam.prefixLength}`;
    const addrs = (await run(IP, ['-o', 'addr', 'show', 'dev', bridge])).stdout;
    if (!addrs.includes(` ${gw} `)) await run(IP, ['addr', 'add', gw, 'dev', bridge]);
    await run(IP, ['link', 'set', 'dev', bridge, 'up']);
  }

  /** Creates (or, after a crash half-way, completes) the network of a sandbox. */
  async setUp(sandboxId: string): Promise<SandboxNetwork> {
    const net = this.names(sandboxId);
    const ip = await this.ipam.allocate(sandboxId);
    try {
      // `ip -batch`: one process per side instead of one per command. Each spawn forks the agent,
      // which costs milliseconds of its event loop; at several pods a second that was the limit.
      const peer = `bp${net.hostVeth.slice(2)}`;
      const bridgeUp = [
        `link set dev ${net.hostVeth} master ${this.options.bridge}`,
        `link set dev ${net.hostVeth} up`,
      ];
      const inside = [
        'link set dev lo up',
        `link set dev ${peer} name eth0`,
        `addr add ${ip}/${this.ipam.prefixLength} dev eth0`,
        'link set dev eth0 up',
        `route add default via ${this.ipam.gateway}`,
      ];
      const pair = [
        `link add ${net.hostVeth} type veth peer name ${peer}`,
        `link set dev ${peer} netns ${net.netnsName}`,
      ];
      if (!existsSync(net.netnsPath)) {
        // The usual case, a new sandbox: nothing of it exists yet (ids are never reused).
        await ipBatch([], [`netns add ${net.netnsName}`, ...pair, ...bridgeUp]);
        await ipBatch(['-n', net.netnsName], inside);
      } else if (!(await tryRun(IP, ['-n', net.netnsName, 'link', 'show', 'dev', 'eth0']))) {
        // Completing a set-up a crash interrupted after the namespace was made.
        await tryRun(IP, ['link', 'del', 'dev', net.hostVeth]);
        await ipBatch([], [...pair, ...bridgeUp]);
        await ipBatch(['-n', net.netnsName], inside);
      } else {
        await ipBatch(['-n', net.netnsName], ['link set dev lo up']);
        await ipBatch([], bridgeUp);
      }
    } catch (e) {
      await this.tearDown(sandboxId);
      throw e;
    }
    return { ...net, ip };
  }

  /** Deleting the namespace deletes its veth end, and with it the host end. Idempotent. */
  async tearDown(sandboxId: string): Promise<void> {
    const net = this.names(sandboxId);
    if (existsSync(net.netnsPath)) await tryRun(IP, ['netns', 'del', net.netnsName]);
    await tryRun(IP, ['link', 'del', 'dev', net.hostVeth]);
    await this.ipam.release(sandboxId);
  }

  /** Removes the bridge itself (node decommission, tests). */
  async removeBridge(): Promise<void> {
    await tryRun(IP, ['link', 'del', 'dev', this.options.bridge]);
  }

  names(sandboxId: string): Omit<SandboxNetwork, 'ip'> {
    // Interface names are limited to 15 characters: hash the id.
    const hash = createHash('sha256').update(sandboxId).digest('hex').slice(0, 12);
    return {
      netnsName: sandboxId,
      netnsPath: `${NETNS_DIR}/${sandboxId}`,
      hostVeth: `bv${hash}`,
    };
  }
}

/** Runs `ip [opts] -batch -` with one command per line; the first failing line fails the call. */
async function ipBatch(opts: readonly string[], commands: readonly string[]): Promise<void> {
  await run(IP, [...opts, '-batch', '-'], `${commands.join('\n')}\n`);
}
