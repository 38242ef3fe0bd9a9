/**
 * Counters of the group-commit writer. libs/common has no prom-client registry yet, so these are
 * plain numbers a service can expose (or copy into prom-client gauges) as it likes.
 */
export interface StoreMetrics {
  batches: number;
  committedWrites: number;
  rejectedWrites: number;
  failedBatches: number;
  batchSizeSum: number;
  maxBatchSize: number;
  commitMsSum: number;
  maxCommitMs: number;
  queueDepth: number;
}

export function newMetrics(): StoreMetrics {
  return {
    batches: 0,
    committedWrites: 0,
    rejectedWrites: 0,
    failedBatches: 0,
    batchSizeSum: 0,
    maxBatchSize: 0,
    commitMsSum: 0,
    maxCommitMs: 0,
    queueDepth: 0,
  };
}

export function recordBatch(m: StoreMetrics, size: number, committed: number, ms: number): void {
  m.batches++;
  m.committedWrites += committed;
  m.rejectedWrites += size - committed;
  m.batchSizeSum += size;
  m.maxBatchSize = Math.max(m.maxBatchSize, size);
  m.commitMsSum += ms;
  m.maxCommitMs = Math.max(m.maxCommitMs, ms);
}
