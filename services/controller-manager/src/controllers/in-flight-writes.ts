import type { Clock } from '@bosun/controller-kit';

/** How long a write may stay unseen before we stop waiting for it (Kubernetes uses 5 minutes). */
export const InFlightTtlMs = 5 * 60_000;

/**
 * Writes this controller made that its informer has not shown yet (client-go's expectations).
 * Without them a reconcile that runs before the watch delivers our own pod creation would create
 * a second one. Keyed by owner, then by a token (a node name, a pod uid, a completion index...).
 */
export class InFlightWrites {
  private readonly byOwner = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = InFlightTtlMs,
  ) {}

  add(owner: string, token: string): void {
    let tokens = this.byOwner.get(owner);
    if (!tokens) this.byOwner.set(owner, (tokens = new Map()));
    tokens.set(token, this.clock.now() + this.ttlMs);
  }

  /** Drops tokens the cache now reflects (`observed`) or that waited too long; returns the rest. */
  pending(owner: string, observed: (token: string) => boolean): Set<string> {
    const tokens = this.byOwner.get(owner);
    if (!tokens) return new Set();
    const now = this.clock.now();
    for (const [token, expires] of tokens) {
      if (expires <= now || observed(token)) tokens.delete(token);
    }
    if (tokens.size === 0) this.byOwner.delete(owner);
    return new Set(tokens.keys());
  }

  /** A write that failed never shows up: stop waiting for it. */
  remove(owner: string, token: string): void {
    this.byOwner.get(owner)?.delete(token);
  }

  forget(owner: string): void {
    this.byOwner.delete(owner);
  }
}
