import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log, its projection and the bookkeeping rows. Names are unqualified: the connection's
 * search_path is the store's schema.
 */
export class InitialSchema1764200000000 implements MigrationInterface {
  name = 'InitialSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // Single-row tables: the boolean key with CHECK makes a second row impossible.
    await q.query(`CREATE TABLE revision_counter (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      value bigint NOT NULL)`);
    await q.query(`INSERT INTO revision_counter (value) VALUES (0)`);
    await q.query(`CREATE TABLE events (
      revision bigint PRIMARY KEY,
      type text NOT NULL,
      grp text NOT NULL,
      resource text NOT NULL,
      namespace text NOT NULL,
      name text NOT NULL,
      prev_revision bigint NOT NULL,
      actor text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      object jsonb NOT NULL)`);
    await q.query(
      `CREATE INDEX events_key_revision ON events (grp, resource, namespace, name, revision)`,
    );
    await q.query(`CREATE TABLE objects (
      grp text NOT NULL,
      resource text NOT NULL,
      namespace text NOT NULL,
      name text NOT NULL,
      uid text NOT NULL,
      revision bigint NOT NULL,
      created_revision bigint NOT NULL,
      object jsonb NOT NULL,
      labels jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (grp, resource, namespace, name))`);
    await q.query(`CREATE INDEX objects_labels ON objects USING GIN (labels)`);
    await q.query(`CREATE TABLE compaction (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      revision bigint NOT NULL)`);
    await q.query(`INSERT INTO compaction (revision) VALUES (0)`);
    await q.query(`CREATE TABLE checkpoints (name text PRIMARY KEY, revision bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['checkpoints', 'compaction', 'objects', 'events', 'revision_counter']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
