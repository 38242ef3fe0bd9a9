import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger } from '@bosun/common';
import type { Coordination } from '../contract/coordination';
import type { Change, CompactOptions, EventLog } from '../contract/event-log';
import type { Filter, ResourceType, StoredObject } from '../contract/objects';
import type {
  DeleteOptions,
  ListOptions,
  UpdateOptions,
  WriteOptions,
} from '../contract/object-store';
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
  ) {
    this.recorder = new MetricsRecorder(schema, registry);
    const settings = { url, schema, maxBatch, indexedFields };
    this.log = new PgEventLog(pool, settings, this.recorder, createLogger('store'));
    this.objects = new LogStructuredStore(this.log, new PgProjection(pool), indexedFields);
    this.coordination = new PgCoordination(pool, url, schema);
  }

  /** Group-commit counters (also exported to `StoreOptions.metricsRegistry` when given). */
  get metrics(): StoreMetrics {
    return this.recorder.values;
  }

  // ObjectStore
  create(type: ResourceType, obj: StoredObject, opts?: WriteOptions) {
    return this.objects.create(type, obj, opts);
  }
  get(type: ResourceType, namespace: string, name: string) {
    return this.objects.get(type, namespace, name);
  }
  list(type: ResourceType, opts?: ListOptions) {
    return this.objects.list(type, opts);
  }
  update(type: ResourceType, obj: StoredObject, opts?: UpdateOptions) {
    return this.objects.update(type, obj, opts);
  }
  guaranteedUpdate(
    type: ResourceType,
    namespace: string,
    name: string,
    mutate: (current: StoredObject) => StoredObject | Promise<StoredObject>,
    opts?: WriteOptions,
  ) {
    return this.objects.guaranteedUpdate(type, namespace, name, mutate, opts);
  }
  delete(type: ResourceType, namespace: string, name: string, opts?: DeleteOptions) {
    return this.objects.delete(type, namespace, name, opts);
  }

  // EventLog
  append(change: Change): Promise<StoredObject> {
    return this.log.append(change);
  }
  readEvents(after: number, filter?: Filter, limit?: number) {
    return this.log.readEvents(after, filter, limit);
  }
  currentRevision() {
    return this.log.currentRevision();
  }
  compactedRevision() {
    return this.log.compactedRevision();
  }
  compact(opts: CompactOptions) {
    return this.log.compact(opts);
  }
  history(type: ResourceType, namespace: string, name: string) {
    return this.log.history(type, namespace, name);
  }
  onCommit(listener: (revision: number) => void): ReturnType<EventLog['onCommit']> {
    return this.log.onCommit(listener);
  }

  // Coordination
  tryLeadership(name: string) {
    return this.coordination.tryLeadership(name);
  }
  getCheckpoint(name: string) {
    return this.coordination.getCheckpoint(name);
  }
  setCheckpoint(name: string, revision: number) {
    return this.coordination.setCheckpoint(name, revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.objects.close();
    await this.log.close();
    await this.ds.destroy();
  }
}
