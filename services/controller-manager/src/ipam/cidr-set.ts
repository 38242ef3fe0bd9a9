import { Address4, Address6 } from 'ip-address';
import { BosunError, ErrorCode } from '@bosun/common';

type Address = Address4 | Address6;

/** At most 2^16 node ranges per cluster CIDR, as Kubernetes' CIDR set allows. */
const MaxMaskDifference = 16;

/** The cluster CIDR and mask size cannot make node ranges. */
export class InvalidCidrSetError extends BosunError {
  constructor(message: string, context: Record<string, unknown>) {
    super(ErrorCode.Invalid, message, { context });
  }
}

/** A config parser: the CIDR as given, or an Error saying what was expected. */
export function parseCidr(raw: string): string {
  const cidr = raw.trim();
  if (!parse(cidr)) throw new Error('a CIDR such as 10.244.0.0/16 or fd00:10:244::/56');
  return cidr;
}

function parse(cidr: string): Address | undefined {
  if (!cidr.includes('/')) return undefined;
  for (const Kind of [Address4, Address6]) {
    try {
      return new Kind(cidr);
    } catch {
      // not this family
    }
  }
  return undefined;
}

/**
 * The node ranges of a cluster CIDR (Kubernetes' cidrset): range i is the i-th block of
 * `maskSize` bits. Pure: which ranges are taken is the caller's knowledge, passed in on each
 * call. Address arithmetic is ip-address's (BigInt); this only counts blocks.
 */
export class CidrSet {
  readonly cidr: string;
  readonly size: number;
  private readonly base: bigint;
  private readonly step: bigint;
  private readonly family: typeof Address4 | typeof Address6;

  constructor(
    clusterCidr: string,
    readonly maskSize: number,
  ) {
    const network = parse(clusterCidr);
    if (!network) {
      throw new InvalidCidrSetError(
        `cluster CIDR "${clusterCidr}" is not a CIDR (e.g. 10.244.0.0/16)`,
        {
          clusterCidr,
        },
      );
    }
    const bits = network.v4 ? 32 : 128;
    const prefix = network.subnetMask;
    if (!Number.isInteger(maskSize) || maskSize < prefix || maskSize > bits) {
      throw new InvalidCidrSetError(
        `node CIDR mask size ${maskSize} must be between the cluster CIDR's prefix length (${prefix}) and ${bits}`,
        { clusterCidr, maskSize },
      );
    }
    if (maskSize - prefix > MaxMaskDifference) {
      throw new InvalidCidrSetError(
        `node CIDR mask size ${maskSize} is more than ${MaxMaskDifference} bits longer than the cluster CIDR's prefix /${prefix}`,
        { clusterCidr, maskSize },
      );
    }
    this.family = network.v4 ? Address4 : Address6;
    this.base = network.startAddress().bigInt();
    this.step = 1n << BigInt(bits - maskSize);
    this.size = 2 ** (maskSize - prefix);
    this.cidr = `${this.format(this.base)}/${prefix}`;
  }

  /** The i-th node range, e.g. `10.244.3.0/24`. */
  cidrAt(index: number): string {
    return `${this.format(this.base + BigInt(index) * this.step)}/${this.maskSize}`;
  }

  /** Which range a node's CIDR is, or undefined when it is not exactly one of this set's. */
  indexOf(cidr: string): number | undefined {
    const address = parse(cidr);
    if (!address || !(address instanceof this.family) || address.subnetMask !== this.maskSize) {
      return undefined;
    }
    const offset = address.startAddress().bigInt() - this.base;
    if (offset < 0n || offset % this.step !== 0n) return undefined;
    const index = Number(offset / this.step);
    return index < this.size ? index : undefined;
  }

  /** The first free range from `from` on, wrapping around; undefined when all are taken. */
  nextFree(used: ReadonlySet<number>, from = 0): number | undefined {
    for (let i = 0; i < this.size; i++) {
      const index = (from + i) % this.size;
      if (!used.has(index)) return index;
    }
    return undefined;
  }

  private format(n: bigint): string {
    const address = this.family === Address4 ? Address4.fromBigInt(n) : Address6.fromBigInt(n);
    return address.correctForm();
  }
}
