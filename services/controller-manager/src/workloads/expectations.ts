/** How long expectations may stay unmet before we stop trusting them (client-go uses 5 min). */
const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expected {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/**
 * Creations and deletions a controller has asked for but its informer has not shown yet. While
 * any are outstanding, the cache is known to be behind and the controller must not size up again
 * (that is how a ReplicaSet never overshoots). Kept in memory only: after a restart the informer's
 * list is the truth.
 */
export class Expectations {
  private readonly byKey = new Map<string, Expected>();

  constructor(private readonly now: () => number = Date.now) {}

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.now() - e.at > EXPECTATIONS_TTL_MS;
  }

  expectCreations(key: string, count: number): void {
    this.entry(key).adds += count;
  }

  /** Deletions are tracked by pod key, so a delete we did not ask for cannot satisfy them. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const e = this.entry(key);
    for (const k of podKeys) e.deletes.add(k);
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds = Math.max(0, e.adds - 1);
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  private entry(key: string): Expected {
    const now = this.now();
    let e = this.byKey.get(key);
    if (!e || now - e.at > EXPECTATIONS_TTL_MS) {
      e = { adds: 0, deletes: new Set(), at: now };
      this.byKey.set(key, e);
    }
    e.at = now;
    return e;
  }
}
