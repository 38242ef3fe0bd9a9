/**
 * Digests of tokens that were looked up and not found, each forgotten after `ttlMs`: a client
 * retrying an unknown token (or guessing) is refused from memory instead of costing a query and a
 * catch-up wait every time. Bounded: past `maxEntries` the oldest entry goes. A token that appears
 * in the index is `forget`-ed at once, so the cache never outlives a token this server has seen.
 */
export class NegativeTokenCache {
  /** digest → expiry (ms); Map order is insertion order, so the first key is the oldest. */
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  has(digest: string): boolean {
    const expires = this.misses.get(digest);
    if (expires === undefined) return false;
    if (expires > this.now()) return true;
    this.misses.delete(digest);
    return false;
  }

  add(digest: string): void {
    this.misses.delete(digest);
    if (this.misses.size >= this.maxEntries) {
      const oldest = this.misses.keys().next().value;
      if (oldest !== undefined) this.misses.delete(oldest);
    }
    this.misses.set(digest, this.now() + this.ttlMs);
  }

  forget(digest: string): void {
    this.misses.delete(digest);
  }

  clear(): void {
    this.misses.clear();
  }
}
