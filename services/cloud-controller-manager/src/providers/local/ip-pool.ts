import ipaddr from 'ipaddr.js';
import { BosunError, ErrorCode } from '@bosun/common';

/** The pool is exhausted: every address is held by another load balancer. */
export class PoolExhaustedError extends BosunError {
  constructor(readonly cidr: string) {
    super(ErrorCode.Unavailable, `load-balancer pool ${cidr} has no free address`);
  }
}

const toBigInt = (bytes: number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

const toBytes = (n: bigint, length: number): number[] => {
  const out = new Array<number>(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
};

/**
 * The addresses of a CIDR that load balancers may take: every host address, so for IPv4 without
 * the network and broadcast addresses (except in a /31 or /32, which have none). Pure: which
 * addresses are taken is the caller's knowledge, passed in on each call.
 */
export class IpPool {
  readonly cidr: string;
  private readonly bytes: number;
  private readonly first: bigint;
  private readonly last: bigint;

  constructor(cidr: string) {
    if (!ipaddr.isValidCIDR(cidr)) {
      throw new BosunError(ErrorCode.Invalid, `"${cidr}" is not a CIDR (e.g. 172.31.255.0/24)`);
    }
    const [addr, prefix] = ipaddr.parseCIDR(cidr);
    const bytes = addr.toByteArray().length;
    const bits = bytes * 8;
    const hostBits = BigInt(bits - prefix);
    const network = (toBigInt(addr.toByteArray()) >> hostBits) << hostBits;
    const broadcast = network + (1n << hostBits) - 1n;
    // IPv4's network and broadcast addresses are not hosts; IPv6's subnet-router anycast is.
    const trim = addr.kind() === 'ipv4' && hostBits > 1n ? 1n : 0n;
    this.bytes = bytes;
    this.first = network + trim;
    this.last = broadcast - trim;
    this.cidr = `${ipaddr.fromByteArray(toBytes(network, bytes)).toString()}/${prefix}`;
  }

  /** How many addresses the pool hands out. */
  get size(): bigint {
    return this.last - this.first + 1n;
  }

  /** Is `ip` one of the pool's addresses? False for anything that is not an IP. */
  contains(ip: string): boolean {
    const n = this.toNumber(ip);
    return n !== undefined && n >= this.first && n <= this.last;
  }

  /**
   * The lowest address not in `taken`. Walks at most |taken| + 1 addresses, so a huge IPv6 pool
   * costs no more than a small one.
   */
  allocate(taken: ReadonlySet<string>): string {
    const normalized = new Set<bigint>();
    for (const ip of taken) {
      const n = this.toNumber(ip);
      if (n !== undefined) normalized.add(n);
    }
    for (let n = this.first; n <= this.last; n++) {
      if (!normalized.has(n)) return ipaddr.fromByteArray(toBytes(n, this.bytes)).toString();
    }
    throw new PoolExhaustedError(this.cidr);
  }

  /** The canonical spelling of an address in this pool's family, or undefined. */
  normalize(ip: string): string | undefined {
    const n = this.toNumber(ip);
    return n === undefined ? undefined : ipaddr.fromByteArray(toBytes(n, this.bytes)).toString();
  }

  private toNumber(ip: string): bigint | undefined {
    if (!ipaddr.isValid(ip)) return undefined;
    const addr = ipaddr.parse(ip);
    const bytes = addr.toByteArray();
    return bytes.length === this.bytes ? toBigInt(bytes) : undefined;
  }
}
