import type { Pool, PoolClient } from 'pg';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import { acquire, isConnectionError } from './db';
import { unavailable } from '../store-errors';
import type { MetricsRecorder } from '../metrics';
import { keyString, type CurrentRow, type WriteOp } from '../log/write-op';
import { planBatch, type EventRow } from '../log/write-plan';

/*
 * Revision allocation. Every batch first locks the single revision_counter row and only bumps it,
 * by the number of ops that succeed, in the same transaction that inserts their events. The row
 * lock is held until COMMIT, so writers in ALL processes serialize on it: revision N+1 cannot be
 * allocated before the transaction holding N has committed. Revisions are therefore gapless and
 * become visible strictly in commit order — unlike a sequence, whose values are handed out before
 * commit and can become visible out of order (the trap of I3). Holding the lock first also means
 * nobody else writes between reading the current rows of the batch and writing the new ones, so
 * success or failure of every op can be decided in memory.
 */
// The writer waits for the revision lock, held by other processes' batches, by design: its
// statements are exempt from the pool's statement_timeout (idle_in_transaction_session_timeout
// still frees a lock whose holder froze).
const LOCK_SQL =
  'BEGIN; SET LOCAL statement_timeout = 0; SELECT value FROM revision_counter FOR UPDATE';

const READ_SQL = `SELECT grp, resource, namespace, name, uid, revision, created_revision, object
  FROM objects WHERE (grp, resource, namespace, name) IN
  (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))`;

const WRITE_SQL = `WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(revision bigint, type text, grp text,
      resource text, namespace text, name text, prev_revision bigint, actor text,
      created_revision bigint, object jsonb)
  ), ev AS (
    INSERT INTO events (revision, type, grp, resource, namespace, name, prev_revision, actor, object)
    SELECT revision, type, grp, resource, namespace, name, prev_revision, actor, object FROM input
  ), last AS (
    SELECT DISTINCT ON (grp, resource, namespace, name) * FROM input
    ORDER BY grp, resource, namespace, name, revision DESC
  ), del AS (
    DELETE FROM objects o USING last l WHERE l.type = 'DELETED' AND o.grp = l.grp
      AND o.resource = l.resource AND o.namespace = l.namespace AND o.name = l.name
  ), up AS (
    INSERT INTO objects (grp, resource, namespace, name, uid, revision, created_revision, object, labels)
    SELECT grp, resource, namespace, name, object->'metadata'->>'uid', revision, created_revision,
      object, coalesce(object->'metadata'->'labels', '{}'::jsonb)
    FROM last WHERE type <> 'DELETED'
    ON CONFLICT (grp, resource, namespace, name) DO UPDATE SET uid = EXCLUDED.uid,
      revision = EXCLUDED.revision, created_revision = EXCLUDED.created_revision,
      object = EXCLUDED.object, labels = EXCLUDED.labels
  ), ctr AS (
    UPDATE revision_counter SET value = $2
  )
  SELECT pg_notify($3, $2::text)`;

/** Most JSON characters one write statement carries (a batch may take several). */
const CHUNK_CHARS = 8 * 1024 * 1024;

/** Errors after which one retry of the whole batch is safe (nothing was committed). */
function retryableBeforeCommit(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code === '40001' || code === '40P01' || isConnectionError(e);
}

function batchError(f: BatchFailure): Error {
  if (f.commitSent) {
    return unavailable(
      'the store lost its database connection while committing; the write may or may not have been applied',
      f.cause,
    );
  }
  if (isConnectionError(f.cause)) {
    return unavailable('the store could not commit the write: database unavailable', f.cause);
  }
  // Refused by the database for this op alone (it was committed on its own): not retryable.
  return new BosunError(
    ErrorCode.Internal,
    `the database refused the write: ${(f.cause as Error).message}`,
    {
      cause: f.cause,
    },
  );
}

class BatchFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly commitSent: boolean,
  ) {
    super('batch failed');
  }
}

/** Default `StoreOptions.maxQueuedWrites`. */
export const DEFAULT_MAX_QUEUED_WRITES = 5000;

function queueFull(max: number): BosunError {
  return new BosunError(
    ErrorCode.TooManyRequests,
    `the store has ${max} writes waiting to be committed; please try again later`,
    { retryable: true, context: { retryAfterSeconds: 1 } },
  );
}

/**
 * The in-process writer queue. Calls enqueue; one batch at a time commits while the next
 * accumulates, so N concurrent writers cost about one transaction per batch, not per write. The
 * queue is bounded: a database that falls behind turns into 429s, not into unbounded memory.
 */
export class GroupCommitWriter {
  private queue: WriteOp[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly maxBatch: number,
    private readonly metrics: MetricsRecorder,
    private readonly log: Logger,
    private readonly maxQueued = DEFAULT_MAX_QUEUED_WRITES,
  ) {}

  enqueue(op: WriteOp): void {
    if (this.queue.length >= this.maxQueued) {
      this.metrics.shed();
      op.reject(queueFull(this.maxQueued));
      return;
    }
    this.queue.push(op);
    this.metrics.queue(this.queue.length);
    if (!this.running) this.idle = this.drain();
  }

  /** Resolves once every queued write has been answered. */
  flush(): Promise<void> {
    return this.idle;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.metrics.queue(this.queue.length);
        await this.commit(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: WriteOp[]): Promise<void> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const committed = await this.tryCommit(batch);
        const ms = performance.now() - started;
        this.metrics.batch(batch.length, committed, ms);
        this.log.debug({ size: batch.length, committed, ms }, 'group commit');
        return;
      } catch (e) {
        const f = e as BatchFailure;
        if (attempt === 0 && !f.commitSent && retryableBeforeCommit(f.cause)) continue;
        if (!f.commitSent && !isConnectionError(f.cause) && batch.length > 1) {
          // The database refused the statement, not the connection: one op may be at fault.
          // Commit each op alone so one bad write cannot fail its batch-mates.
          this.log.warn({ err: f.cause, size: batch.length }, 'group commit refused; splitting');
          for (const op of batch) await this.commit([op]);
          return;
        }
        this.metrics.failed(batch.length);
        this.log.warn(
          { err: f.cause, size: batch.length, commitSent: f.commitSent },
          'group commit failed',
        );
        for (const op of batch) op.reject(batchError(f));
        return;
      }
    }
  }

  /** One transaction for the whole batch; answers each op after COMMIT. Returns commits. */
  private async tryCommit(batch: WriteOp[]): Promise<number> {
    let client: PoolClient;
    try {
      client = await acquire(this.pool);
    } catch (e) {
      throw new BatchFailure(e, false);
    }
    let commitSent = false;
    let plan: ReturnType<typeof planBatch>;
    try {
      const lock = (await client.query(LOCK_SQL)) as unknown as { rows: { value: string }[] }[];
      const base = Number(lock[2].rows[0].value);
      plan = planBatch(batch, await this.readCurrent(client, batch), base);
      if (plan.events.length) await this.write(client, plan.events);
      commitSent = true;
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      // Destroy the connection: its transaction state is unknown and a ROLLBACK might hang.
      client.release(e as Error);
      throw new BatchFailure(e, commitSent);
    }
    plan.outcomes.forEach((o, i) => ('ok' in o ? batch[i].resolve(o.ok) : batch[i].reject(o.err)));
    return plan.events.length;
  }

  private async readCurrent(
    client: PoolClient,
    batch: WriteOp[],
  ): Promise<Map<string, CurrentRow | null>> {
    const cols: string[][] = [[], [], [], []];
    const seen = new Set<string>();
    for (const op of batch) {
      const k = keyString(op.key);
      if (seen.has(k)) continue;
      seen.add(k);
      cols[0].push(op.key.group);
      cols[1].push(op.key.resource);
      cols[2].push(op.key.namespace);
      cols[3].push(op.key.name);
    }
    const res = await client.query(READ_SQL, cols);
    const current = new Map<string, CurrentRow | null>();
    for (const r of res.rows) {
      const k = keyString({
        group: r.grp,
        resource: r.resource,
        namespace: r.namespace,
        name: r.name,
      });
      current.set(k, {
        uid: r.uid,
        revision: Number(r.revision),
        createdRevision: Number(r.created_revision),
        object: r.object,
      });
    }
    return current;
  }

  /**
   * Writes the events in statements of at most ~CHUNK_CHARS of JSON: a batch of large objects
   * would otherwise build one string beyond V8's limit. Later statements of the same transaction
   * see the earlier ones, so a key spread over two chunks still ends in its last state.
   */
  private async write(client: PoolClient, events: EventRow[]): Promise<void> {
    let parts: string[] = [];
    let size = 0;
    for (let i = 0; i < events.length; i++) {
      const json = JSON.stringify(events[i]);
      parts.push(json);
      size += json.length + 1;
      if (size >= CHUNK_CHARS || i === events.length - 1) {
        const rev = events[i].revision;
        await client.query(WRITE_SQL, ['[' + parts.join(',') + ']', rev, this.channel]);
        parts = [];
        size = 0;
      }
    }
  }
}
