import { createHash, randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createLogger, isBosunError, ErrorCode, type Logger } from '@bosun/common';
import { query, withClient } from './db';
import { MetricsRecorder, type StoreMetrics } from '../metrics';
import { compact } from './compact';
import { CommitListener } from './commit-listener';
import { GroupCommitWriter } from './group-commit';
import { history } from './history';
import { tryLeadership } from './leadership';
import { list } from './list';
import { readEvents } from './read-events';
import { WriteKind, type CurrentRow, type WriteOp } from '../log/write-op';
import { applyOp } from '../log/write-plan';
import { BASE_FIELDS, parseFieldSelector } from '../selectors/field-selector';
import { parseLabelSelector } from '../selectors/label-selector';
import { notFound, unavailable } from '../store-errors';
import type * as T from '../contract/objects';
import { checkSize, validateKey, validateScope, validateShape } from '../validation';

/** Kubernetes' generateName alphabet: no vowels (no words), no look-alike characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATE_ATTEMPTS = 8;
/*
 * Kubernetes retries a guaranteed update without bound; we bound it, but generously: with k
 * writers racing for one key each attempt is roughly a 1-in-k lottery, and 16 tries lose too often
 * under real contention. Full-jitter exponential back-off (capped) spreads the losers out.
 */
const GUARANTEED_UPDATE_ATTEMPTS = 64;
const BACKOFF_CAP_MS = 100;

export function commitChannel(schema: string): string {
  const c = `bosun_commit_${schema}`;
  return c.length <= 63 ? c : `bosun_commit_${createHash('sha1').update(schema).digest('hex')}`;
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

type Mutation = Omit<WriteOp, 'resolve' | 'reject'>;

export class PgStore implements T.Store {
  private readonly log: Logger = createLogger('store');
  private readonly writer: GroupCommitWriter;
  private readonly recorder: MetricsRecorder;
  private readonly listener: CommitListener;
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    readonly pool: Pool,
    private readonly url: string,
    readonly schema: string,
    private readonly maxBatch: number,
    private readonly indexedFields: Readonly<Record<string, readonly string[]>>,
    registry?: Registry,
  ) {
    const channel = commitChannel(schema);
    this.recorder = new MetricsRecorder(schema, registry);
    this.writer = new GroupCommitWriter(pool, channel, maxBatch, this.recorder, this.log);
    this.listener = new CommitListener(
      url,
      schema,
      channel,
      () => this.currentRevision(),
      this.log,
    );
  }

  /** Group-commit counters (also exported to `StoreOptions.metricsRegistry` when given). */
  get metrics(): StoreMetrics {
    return this.recorder.values;
  }

  private submit(m: Mutation, dryRun?: boolean): Promise<T.StoredObject> {
    if (this.closed) return Promise.reject(unavailable('the store is closed'));
    if (dryRun) return this.dryRun(m);
    return new Promise((resolve, reject) => this.writer.enqueue({ ...m, resolve, reject }));
  }

  private async dryRun(m: Mutation): Promise<T.StoredObject> {
    const cur = await this.readRow(m.key);
    const out = applyOp(
      { ...m, resolve: () => undefined, reject: () => undefined },
      cur,
      cur?.revision ?? 0,
    ).event.object;
    if (m.kind === WriteKind.Delete) return cur!.object;
    out.metadata.resourceVersion =
      cur && m.kind === WriteKind.Update ? String(cur.revision) : undefined;
    if (out.metadata.resourceVersion === undefined) delete out.metadata.resourceVersion;
    return out;
  }

  private async readRow(key: T.ObjectKey): Promise<CurrentRow | null> {
    const rows = await query<{
      uid: string;
      revision: string;
      created_revision: string;
      object: T.StoredObject;
    }>(
      this.pool,
      'SELECT uid, revision, created_revision, object FROM objects WHERE grp = $1 AND resource = $2 AND namespace = $3 AND name = $4',
      [key.group, key.resource, key.namespace, key.name],
    );
    const r = rows[0];
    return r
      ? {
          uid: r.uid,
          revision: Number(r.revision),
          createdRevision: Number(r.created_revision),
          object: r.object,
        }
      : null;
  }

  private keyOf(type: T.ResourceType, namespace: string, name: string): T.ObjectKey {
    return { group: type.group, resource: type.resource, namespace, name };
  }

  /** Validates what is about to be written; returns its key. */
  private checkWrite(type: T.ResourceType, obj: T.StoredObject, name: string): T.ObjectKey {
    validateShape(type, obj);
    const namespace = obj.metadata.namespace ?? '';
    validateKey(type, namespace, name);
    checkSize(type, name, JSON.stringify(obj));
    return this.keyOf(type, namespace, name);
  }

  async create(
    type: T.ResourceType,
    obj: T.StoredObject,
    opts: T.WriteOptions = {},
  ): Promise<T.StoredObject> {
    validateShape(type, obj);
    const generate = !obj.metadata.name && !!obj.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      const name = generate
        ? obj.metadata.generateName! + randomSuffix()
        : (obj.metadata.name ?? '');
      const key = this.checkWrite(type, obj, name);
      try {
        return await this.submit(
          { kind: WriteKind.Create, type, key, obj, actor: opts.actor ?? '' },
          opts.dryRun,
        );
      } catch (e) {
        if (!generate || !isBosunError(e, ErrorCode.AlreadyExists) || attempt >= GENERATE_ATTEMPTS)
          throw e;
      }
    }
  }

  async get(type: T.ResourceType, namespace: string, name: string): Promise<T.StoredObject> {
    validateScope(type, namespace);
    const row = await this.readRow(this.keyOf(type, namespace, name));
    if (!row) throw notFound(type, name);
    return row.object;
  }

  async list(type: T.ResourceType, opts: T.ListOptions = {}): Promise<T.ListResult> {
    if (!type.namespaced && opts.namespace) validateScope(type, opts.namespace);
    return list(
      this.pool,
      {
        type,
        namespace: opts.namespace || undefined,
        name: opts.name || undefined,
        ...this.selectors(type, opts),
      },
      opts,
    );
  }

  private selectors(type: Pick<T.ResourceType, 'resource'>, f: T.Filter) {
    const allowed = [...BASE_FIELDS, ...(this.indexedFields[type.resource] ?? [])];
    return {
      labels: parseLabelSelector(f.labelSelector),
      fields: parseFieldSelector(f.fieldSelector, allowed),
    };
  }

  async update(
    type: T.ResourceType,
    obj: T.StoredObject,
    opts: T.UpdateOptions = {},
  ): Promise<T.StoredObject> {
    validateShape(type, obj);
    const key = this.checkWrite(type, obj, obj.metadata.name ?? '');
    const m = {
      kind: WriteKind.Update,
      type,
      key,
      obj,
      actor: opts.actor ?? '',
      resourceVersion: opts.resourceVersion,
    };
    return this.submit(m, opts.dryRun);
  }

  async guaranteedUpdate(
    type: T.ResourceType,
    namespace: string,
    name: string,
    mutate: (current: T.StoredObject) => T.StoredObject | Promise<T.StoredObject>,
    opts: T.WriteOptions = {},
  ): Promise<T.StoredObject> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(type, namespace, name);
      const rv = current.metadata.resourceVersion;
      const next = await mutate(structuredClone(current));
      try {
        return await this.update(type, next, { ...opts, resourceVersion: rv });
      } catch (e) {
        if (!isBosunError(e, ErrorCode.Conflict) || attempt >= GUARANTEED_UPDATE_ATTEMPTS) throw e;
        const ceiling = Math.min(BACKOFF_CAP_MS, 2 ** Math.min(attempt, 7));
        await new Promise((r) => setTimeout(r, randomInt(0, ceiling + 1)));
      }
    }
  }

  async delete(
    type: T.ResourceType,
    namespace: string,
    name: string,
    opts: T.DeleteOptions = {},
  ): Promise<T.StoredObject> {
    validateScope(type, namespace);
    const key = this.keyOf(type, namespace, name);
    const m = {
      kind: WriteKind.Delete,
      type,
      key,
      actor: opts.actor ?? '',
      resourceVersion: opts.resourceVersion,
      uid: opts.uid,
    };
    return this.submit(m, opts.dryRun);
  }

  history(type: T.ResourceType, namespace: string, name: string): Promise<T.HistoryEntry[]> {
    validateScope(type, namespace);
    return history(this.pool, this.keyOf(type, namespace, name));
  }

  async readEvents(after: number, filter: T.Filter = {}, limit = 1000): Promise<T.StoreEvent[]> {
    const sel = this.selectors({ resource: filter.resource ?? '' }, filter);
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

  compact(opts: T.CompactOptions): Promise<{ compactedRevision: number; deletedEvents: number }> {
    return compact(this.pool, opts);
  }

  onCommit(listener: (revision: number) => void): Promise<() => Promise<void>> {
    return this.listener.subscribe(listener);
  }

  tryLeadership(name: string): Promise<T.LeadershipLease | undefined> {
    return tryLeadership(this.url, this.schema, name);
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    const rows = await query<{ revision: string }>(
      this.pool,
      'SELECT revision FROM checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ? Number(rows[0].revision) : undefined;
  }

  async setCheckpoint(name: string, revision: number): Promise<void> {
    await withClient(this.pool, (c) =>
      c.query(
        'INSERT INTO checkpoints (name, revision) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET revision = EXCLUDED.revision',
        [name, revision],
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.flush();
    await this.listener.close();
    await this.ds.destroy();
  }
}
