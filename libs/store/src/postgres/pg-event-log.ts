import type { Pool } from 'pg';
import type { Logger } from '@bosun/common';
import type {
  Change,
  CompactOptions,
  CompactResult,
  EventLog,
  HistoryEntry,
  StoreEvent,
} from '../contract/event-log';
import type { Filter, ResourceType, StoredObject } from '../contract/objects';
import type { MetricsRecorder } from '../metrics';
import { parseSelectors, type IndexedFields } from '../selectors/parse-selectors';
import { unavailable } from '../store-errors';
import { validateScope } from '../validation';
import { CommitListener } from './commit-listener';
import { commitChannel } from './commit-channel';
import { compact } from './compact';
import { query } from './db';
import { GroupCommitWriter } from './group-commit';
import { history } from './history';
import { readEvents } from './read-events';

export interface PgEventLogSettings {
  readonly url: string;
  readonly schema: string;
  readonly maxBatch: number;
  /** Most writes waiting for the group commit (default DEFAULT_MAX_QUEUED_WRITES). */
  readonly maxQueuedWrites?: number;
  readonly indexedFields: IndexedFields;
}

/**
 * The log in Postgres: `events` appended by the group-commit writer under the `revision_counter`
 * row lock, the `compaction` horizon, and commit hints over LISTEN/NOTIFY on the schema's channel.
 */
export class PgEventLog implements EventLog {
  private readonly writer: GroupCommitWriter;
  private readonly listener: CommitListener;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly settings: PgEventLogSettings,
    recorder: MetricsRecorder,
    logger: Logger,
  ) {
    const channel = commitChannel(settings.schema);
    this.writer = new GroupCommitWriter(
      pool,
      channel,
      settings.maxBatch,
      recorder,
      logger,
      settings.maxQueuedWrites,
    );
    this.listener = new CommitListener(
      settings.url,
      settings.schema,
      channel,
      () => this.currentRevision(),
      logger,
    );
  }

  append(change: Change): Promise<StoredObject> {
    if (this.closed) return Promise.reject(unavailable('the store is closed'));
    return new Promise((resolve, reject) => this.writer.enqueue({ ...change, resolve, reject }));
  }

  async readEvents(after: number, filter: Filter = {}, limit = 1000): Promise<StoreEvent[]> {
    const sel = parseSelectors(filter.resource ?? '', filter, this.settings.indexedFields);
    return readEvents(this.pool, after, filter, sel.labels, sel.fields, limit);
  }

  async currentRevision(): Promise<number> {
    const rows = await query<{ value: string }>(this.pool, 'SELECT value FROM revision_counter');
    return Number(rows[0].value);
  }

  async compactedRevision(): Promise<number> {
    const rows = await query<{ revision: string }>(this.pool, 'SELECT revision FROM compaction');
    return Number(rows[0].revision);
  }

  compact(opts: CompactOptions): Promise<CompactResult> {
    return compact(this.pool, opts);
  }

  history(type: ResourceType, namespace: string, name: string): Promise<HistoryEntry[]> {
    validateScope(type, namespace);
    return history(this.pool, { group: type.group, resource: type.resource, namespace, name });
  }

  onCommit(listener: (revision: number) => void): Promise<() => Promise<void>> {
    return this.listener.subscribe(listener);
  }

  /** Answers every queued append, then stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writer.flush();
    await this.listener.close();
  }
}
