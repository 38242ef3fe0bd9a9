import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Counters of the group-commit writer, always kept as plain numbers (`PgStore.metrics`), and
 * mirrored into prom-client metrics when the store is given a registry.
 */
export interface StoreMetrics {
  batches: number;
  committedWrites: number;
  rejectedWrites: number;
  /** Writes refused before queueing because the queue was full (maxQueuedWrites). */
  shedWrites: number;
  failedBatches: number;
  batchSizeSum: number;
  maxBatchSize: number;
  commitMsSum: number;
  maxCommitMs: number;
  queueDepth: number;
}

interface PromStoreMetrics {
  readonly batchSize: Histogram<'schema'>;
  readonly commitSeconds: Histogram<'schema'>;
  readonly writes: Counter<'schema' | 'result'>;
  readonly failedBatches: Counter<'schema'>;
  readonly queueDepth: Gauge<'schema'>;
}

const byRegistry = new WeakMap<Registry, PromStoreMetrics>();

/** One set per registry (prom-client refuses a name twice); stores are told apart by schema. */
function promMetrics(registry: Registry): PromStoreMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const labelNames = ['schema'] as const;
  const m: PromStoreMetrics = {
    batchSize: new Histogram({
      name: 'bosun_store_batch_size',
      help: 'Writes carried by one group commit',
      labelNames,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'bosun_store_commit_duration_seconds',
      help: 'Time from taking a batch to answering its callers',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    writes: new Counter({
      name: 'bosun_store_writes_total',
      help: 'Writes answered by the group-commit writer, by result',
      labelNames: ['schema', 'result'],
      registers,
    }),
    failedBatches: new Counter({
      name: 'bosun_store_failed_batches_total',
      help: 'Group commits that failed as a whole (database unavailable)',
      labelNames,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'bosun_store_write_queue_depth',
      help: 'Writes waiting for the next group commit',
      labelNames,
      registers,
    }),
  };
  byRegistry.set(registry, m);
  return m;
}

export class MetricsRecorder {
  readonly values: StoreMetrics = {
    batches: 0,
    committedWrites: 0,
    rejectedWrites: 0,
    shedWrites: 0,
    failedBatches: 0,
    batchSizeSum: 0,
    maxBatchSize: 0,
    commitMsSum: 0,
    maxCommitMs: 0,
    queueDepth: 0,
  };
  private readonly prom: PromStoreMetrics | undefined;

  constructor(
    private readonly schema: string,
    registry?: Registry,
  ) {
    this.prom = registry ? promMetrics(registry) : undefined;
  }

  queue(depth: number): void {
    this.values.queueDepth = depth;
    this.prom?.queueDepth.set({ schema: this.schema }, depth);
  }

  batch(size: number, committed: number, ms: number): void {
    const m = this.values;
    m.batches++;
    m.committedWrites += committed;
    m.rejectedWrites += size - committed;
    m.batchSizeSum += size;
    m.maxBatchSize = Math.max(m.maxBatchSize, size);
    m.commitMsSum += ms;
    m.maxCommitMs = Math.max(m.maxCommitMs, ms);
    if (!this.prom) return;
    const schema = this.schema;
    this.prom.batchSize.observe({ schema }, size);
    this.prom.commitSeconds.observe({ schema }, ms / 1000);
    this.prom.writes.inc({ schema, result: 'committed' }, committed);
    if (size > committed) this.prom.writes.inc({ schema, result: 'rejected' }, size - committed);
  }

  /** A write refused because the queue was full. */
  shed(): void {
    this.values.shedWrites++;
    this.prom?.writes.inc({ schema: this.schema, result: 'shed' });
  }

  failed(size: number): void {
    this.values.failedBatches++;
    this.prom?.failedBatches.inc({ schema: this.schema });
    this.prom?.writes.inc({ schema: this.schema, result: 'failed' }, size);
  }
}
