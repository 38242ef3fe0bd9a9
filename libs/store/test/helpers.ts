import { Client } from 'pg';
import { createTestSchema, type TestSchema } from '@bosun/testing';
import {
  openStore,
  type PgStore,
  type ResourceType,
  type StoredObject,
  type StoreOptions,
} from '../src';

export const PODS: ResourceType = { group: '', resource: 'pods', namespaced: true };
export const NODES: ResourceType = { group: '', resource: 'nodes', namespaced: false };
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  resource: 'deployments',
  namespaced: true,
};

export interface TestStore {
  readonly store: PgStore;
  readonly schema: TestSchema;
  /** Raw SQL against the test schema (for assertions on the tables themselves). */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  dispose(): Promise<void>;
}

export async function openTestStore(opts: Partial<StoreOptions> = {}): Promise<TestStore> {
  const schema = await createTestSchema('store');
  const store = await openStore({
    url: schema.url,
    schema: schema.schema,
    indexedFields: { pods: ['spec.nodeName', 'status.phase'] },
    ...opts,
  });
  const client = new Client({
    connectionString: schema.url,
    options: `-c search_path=${schema.schema}`,
  });
  await client.connect();
  return {
    store,
    schema,
    async sql(text, params) {
      return (await client.query(text, params)).rows;
    },
    async dispose() {
      await client.end();
      await store.close();
      await schema.drop();
    },
  };
}

export function pod(
  name: string,
  extra: { ns?: string; labels?: Record<string, string>; node?: string; phase?: string } = {},
): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.ns ?? 'default',
      ...(extra.labels ? { labels: extra.labels } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'nginx' }],
      ...(extra.node ? { nodeName: extra.node } : {}),
    },
    ...(extra.phase ? { status: { phase: extra.phase } } : {}),
  };
}

export async function eventCount(t: TestStore): Promise<number> {
  const r = await t.sql<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(r[0].n);
}

/** Error code of a rejected promise (fails the test if it resolves). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? `not a BosunError: ${String(e)}`;
  }
  throw new Error('expected the call to fail');
}

/** Checks I2/I6: revisions 1..N gapless, rv == revision, each key chains by prev_revision, projection == log. */
export async function assertLogIntegrity(t: TestStore): Promise<void> {
  const events = await t.sql<{
    revision: string;
    prev_revision: string;
    grp: string;
    resource: string;
    namespace: string;
    name: string;
    rv: string;
    type: string;
  }>(
    `SELECT revision, prev_revision, grp, resource, namespace, name, type, object->'metadata'->>'resourceVersion' AS rv FROM events ORDER BY revision`,
  );
  const counter = Number(
    (await t.sql<{ value: string }>('SELECT value FROM revision_counter'))[0].value,
  );
  expect(events.map((e) => Number(e.revision))).toEqual(
    Array.from({ length: counter }, (_, i) => i + 1),
  );
  const last = new Map<string, number>();
  for (const e of events) {
    expect(e.rv).toBe(e.revision);
    const k = [e.grp, e.resource, e.namespace, e.name].join('/');
    const prev = last.get(k) ?? 0;
    expect(Number(e.prev_revision)).toBe(e.type === 'ADDED' ? 0 : prev);
    last.set(k, e.type === 'DELETED' ? 0 : Number(e.revision));
  }
  const { rebuildProjection } = await import('../src');
  expect((await rebuildProjection(t.store, { check: true })).differences).toEqual([]);
}
