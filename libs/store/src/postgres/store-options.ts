import type { Registry } from 'prom-client';

/** How `openStore` reaches Postgres and tunes the store. */
export interface StoreOptions {
  /** Postgres connection string. */
  readonly url: string;
  /** Postgres schema holding Bosun's tables (one per test; 'bosun' by default). */
  readonly schema?: string;
  /** Pool size for reads and the group-commit writer (default 8). */
  readonly poolSize?: number;
  /**
   * Longest a statement of a read may run before Postgres cancels it, in ms (default 30000; 0 = no
   * limit). The group-commit writer and the LISTEN and leadership connections are exempt: they
   * wait on locks or notifications by design. A cancelled read answers a retryable Timeout.
   */
  readonly statementTimeoutMs?: number;
  /** Most writes one group commit carries (default 500). */
  readonly maxBatch?: number;
  /**
   * Most writes waiting for the group commit (beyond the batch being committed; default 5000).
   * Past it a write is refused at once with a retryable TooManyRequests (429, Retry-After) instead
   * of queueing memory without bound while the database lags.
   */
  readonly maxQueuedWrites?: number;
  /** Resource types whose extra fields may be used in field selectors, e.g. pods: spec.nodeName. */
  readonly indexedFields?: Readonly<Record<string, readonly string[]>>;
  /** Where to export the store's metrics (batch size, commit latency, queue depth), if anywhere. */
  readonly metricsRegistry?: Registry;
}
