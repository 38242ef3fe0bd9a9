import { readFile, rename, writeFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
import { BosunError, ErrorCode } from '@bosun/common';
import { invalid } from '../runtime-errors';

interface IpamFile {
  readonly cidr: string;
  readonly allocations: Record<string, string>; // ip -> owner
}

/**
 * A node-local IP allocator for the pod CIDR, persisted in one JSON file (written atomically) so
 * a restarted agent keeps its sandboxes' addresses. The network and broadcast addresses and the
 * first host (the bridge gateway) are never handed out. Calls are serialised in-process.
 */
export class Ipam {
  private queue: Promise<unknown> = Promise.resolve();
  readonly gateway: string;
  readonly prefixLength: number;
  private readonly first: number;
  private readonly last: number;

  constructor(
    readonly cidr: string,
    private readonly file: string,
  ) {
    if (!ipaddr.IPv4.isValidCIDR(cidr)) throw invalid(`pod CIDR ${cidr} is not an IPv4 CIDR`);
    const [, prefix] = ipaddr.IPv4.parseCIDR(cidr);
    if (prefix > 30) throw invalid(`pod CIDR ${cidr} is too small`);
    this.prefixLength = prefix;
    this.first = toNumber(ipaddr.IPv4.networkAddressFromCIDR(cidr)) + 1;
    this.last = toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(cidr)) - 1;
    this.gateway = fromNumber(this.first);
  }

  /** The address held by `owner`, or a fresh one. */
  allocate(owner: string): Promise<string> {
    return this.serial(async () => {
      const state = await this.load();
      const held = Object.entries(state.allocations).find(([, o]) => o === owner);
      if (held) return held[0];
      for (let n = this.first + 1; n <= this.last; n++) {
        const ip = fromNumber(n);
        if (!state.allocations[ip]) {
          state.allocations[ip] = owner;
          await this.save(state);
          return ip;
        }
      }
      throw new BosunError(ErrorCode.Unavailable, `pod CIDR ${this.cidr} is exhausted`, {
        context: { cidr: this.cidr },
      });
    });
  }

  release(owner: string): Promise<void> {
    return this.serial(async () => {
      const state = await this.load();
      for (const [ip, o] of Object.entries(state.allocations)) {
        if (o === owner) delete state.allocations[ip];
      }
      await this.save(state);
    });
  }

  allocations(): Promise<Record<string, string>> {
    return this.serial(async () => ({ ...(await this.load()).allocations }));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<IpamFile> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as IpamFile;
      if (parsed.cidr === this.cidr) return parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return { cidr: this.cidr, allocations: {} };
  }

  private async save(state: IpamFile): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, this.file);
  }
}

function toNumber(ip: ipaddr.IPv4): number {
  return ip.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
}

function fromNumber(n: number): string {
  return ipaddr
    .fromByteArray([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])
    .toString();
}
