import { BosunError, ErrorCode } from '@bosun/common';
import type { Store } from '@bosun/store';

const NAMESPACES = { group: '', resource: 'namespaces', namespaced: false } as const;

/**
 * Refuses content in a namespace that does not exist or is terminating. An active namespace is
 * remembered for `ttlMs`, so a burst of creates costs one lookup, not one per object; like
 * Kubernetes' lifecycle admission (an informer with a live fallback), a namespace deleted within
 * that window may still take a create.
 */
export class NamespaceCheck {
  private readonly active = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 2_000,
  ) {}

  async require(namespace: string): Promise<void> {
    const until = this.active.get(namespace);
    if (until !== undefined && until > Date.now()) return;
    try {
      const ns = await this.store.get(NAMESPACES, '', namespace);
      if (ns.metadata.deletionTimestamp) {
        throw new BosunError(
          ErrorCode.Forbidden,
          `unable to create new content in namespace ${namespace} because it is being terminated`,
        );
      }
    } catch (e) {
      this.active.delete(namespace);
      if (e instanceof BosunError && e.code === ErrorCode.NotFound) {
        throw new BosunError(ErrorCode.NotFound, `namespaces "${namespace}" not found`, {
          context: { kind: 'namespaces', name: namespace },
        });
      }
      throw e;
    }
    if (this.active.size > 10_000) this.active.clear();
    this.active.set(namespace, Date.now() + this.ttlMs);
  }

  /** Forgets a namespace at once (this server deleted or began terminating it). */
  forget(namespace: string): void {
    this.active.delete(namespace);
  }
}
