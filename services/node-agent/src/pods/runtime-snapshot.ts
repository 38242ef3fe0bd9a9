import type { Clock } from '@bosun/controller-kit';
import type { ContainerRuntime, ContainerStatus } from '@bosun/runtime';

interface Listing {
  readonly seq: number;
  readonly at: number;
  readonly promise: Promise<ContainerStatus[]>;
}

/**
 * One node-wide container relist shared by every pod sync (the kubelet's PLEG idea): a runtime
 * listing can cost a process spawn (`runc list`) and a read per container, so a hundred pods
 * resyncing every second must not each pay for one. Listings are numbered; a pod that changed
 * something notes `mark()` and later asks for a listing at least that new, so it never acts on a
 * view older than its own last step, while every other pod keeps using the shared one.
 */
export class RuntimeSnapshot {
  private nextSeq = 1;
  private cache: Listing | undefined;
  private inflight: Listing | undefined;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  /** The number a listing must have to reflect changes made up to now. */
  mark(): number {
    return this.nextSeq;
  }

  /** Containers of one sandbox from a listing numbered `minSeq` or later, at most `maxAgeMs` old. */
  async containers(sandboxId: string, minSeq = 0): Promise<ContainerStatus[]> {
    return (await this.listing(sandboxId, minSeq)).items;
  }

  /** Every container on the node, from a listing at most `maxAgeMs` old. */
  all(): Promise<ContainerStatus[]> {
    return this.list(0).promise;
  }

  /** Like `containers`, with the number of the listing they come from. */
  async listing(sandboxId: string, minSeq = 0): Promise<{ seq: number; items: ContainerStatus[] }> {
    const l = this.list(minSeq);
    return { seq: l.seq, items: (await l.promise).filter((c) => c.sandboxId === sandboxId) };
  }

  private list(minSeq: number): Listing {
    const now = this.clock.now();
    const c = this.cache;
    if (c && c.seq >= minSeq && now - c.at <= this.maxAgeMs) return c;
    const f = this.inflight;
    if (f && f.seq >= minSeq) return f;
    const listing: Listing = {
      seq: this.nextSeq++,
      at: now,
      promise: this.runtime.listContainers(),
    };
    this.inflight = listing;
    listing.promise.then(
      () => {
        if (!this.cache || listing.seq > this.cache.seq) this.cache = listing;
        if (this.inflight === listing) this.inflight = undefined;
      },
      () => {
        if (this.inflight === listing) this.inflight = undefined;
      },
    );
    return listing;
  }
}
