import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger } from '@bosun/common';
import type { Coordination } from '../contract/coordination';
import type { EventLog } from '../contract/event-log';
import type { ObjectStore } from '../contract/object-store';
import type { Store } from '../contract/store';
import { MetricsRecorder, type StoreMetrics } from '../metrics';
import { LogStructuredStore } from '../object-store/log-structured-store';
import type { IndexedFields } from '../selectors/parse-selectors';
import { PgCoordination } from './pg-coordination';
import { PgEventLog } from './pg-event-log';
import { PgProjection } from './pg-projection';

/**
 * The whole store on one Postgres schema: the three parts of the contract wired to one pool.
 * Each method hands over to its part; this class only owns the connections' lifetime.
 */
export class PgStore implements Store {
  readonly log: PgEventLog;
  readonly objects: LogStructuredStore;
  readonly coordination: Coordination;
  private readonly recorder: MetricsRecorder;
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    readonly pool: Pool,
    url: string,
    readonly schema: string,
    maxBatch: number,
    indexedFields: IndexedFields,
    registry?: Registry,
    maxQueuedWrites?: number,
  ) {
    this.recorder = new MetricsRecorder(schema, registry);
    const settings = { url, schema, maxBatch, indexedFields, maxQueuedWrites };
    this.log = new PgEventLog(pool, settings, this.recorder, createLogger('store'));
    this.objects = new LogStructuredStore(this.log, new PgProjection(pool), indexedFields);
    this.coordination = new PgCoordination(pool, url, schema);
  }

  /** Group-commit counters (also exported to `StoreOptions.metricsRegistry` when given). */
  get metrics(): StoreMetrics {
    return this.recorder.values;
  }

  // ObjectStore
  create(...a: Parameters<ObjectStore['create']>) {
    return this.objects.create(...a);
  }
  get(...a: Parameters<ObjectStore['get']>) {
    return this.objects.get(...a);
  }
  list(...a: Parameters<ObjectStore['list']>) {
    return this.objects.list(...a);
  }
  update(...a: Parameters<ObjectStore['update']>) {
    return this.objects.update(...a);
  }
  guaranteedUpdate(...a: Parameters<ObjectStore['guaranteedUpdate']>) {
    return this.objects.guaranteedUpdate(...a);
  }
  delete(...a: Parameters<ObjectStore['delete']>) {
    return this.objects.delete(...a);
  }

  // EventLog
  append(...a: Parameters<EventLog['append']>) {
    return this.log.append(...a);
  }
  readEvents(...a: Parameters<EventLog['readEvents']>) {
    return this.log.readEvents(...a);
  }
  currentRevision(...a: Parameters<EventLog['currentRevision']>) {
    return this.log.currentRevision(...a);
  }
  compactedRevision(...a: Parameters<EventLog['compactedRevision']>) {
    return this.log.compactedRevision(...a);
  }
  compact(...a: Parameters<EventLog['compact']>) {
    return this.log.compact(...a);
  }
  history(...a: Parameters<EventLog['history']>) {
    return this.log.history(...a);
  }
  onCommit(...a: Parameters<EventLog['onCommit']>) {
    return this.log.onCommit(...a);
  }

  // Coordination
  tryLeadership(...a: Parameters<Coordination['tryLeadership']>) {
    return this.coordination.tryLeadership(...a);
  }
  getCheckpoint(...a: Parameters<Coordination['getCheckpoint']>) {
    return this.coordination.getCheckpoint(...a);
  }
  setCheckpoint(...a: Parameters<Coordination['setCheckpoint']>) {
    return this.coordination.setCheckpoint(...a);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.objects.close();
    await this.log.close();
    await this.ds.destroy();
  }
}
