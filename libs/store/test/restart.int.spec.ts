import { BosunError, ErrorCode } from '@bosun/common';
import { PrivatePostgresServer, privatePostgresUnavailable, waitFor } from '@bosun/testing';
import { Client } from 'pg';
import { openStore, rebuildProjection, type PgStore } from '../src';
import { pod, PODS } from './helpers';

const why = privatePostgresUnavailable();
const maybe = why ? describe.skip : describe;

maybe(
  `store survives a Postgres crash-restart (integration${why ? `, SKIPPED: ${why}` : ''})`,
  () => {
    let server: PrivatePostgresServer;
    let store: PgStore;
    beforeAll(async () => {
      server = await PrivatePostgresServer.start();
      store = await openStore({
        url: server.url,
        schema: 'bosun_restart',
        poolSize: 4,
        indexedFields: {},
      });
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      server?.dispose();
    });

    it('in-flight writes fail with a retryable error, the store reconnects, and every acknowledged write is in the log', async () => {
      const acks = new Map<string, number>();
      const errors: unknown[] = [];
      let stop = false;
      let seq = 0;
      const commits: number[] = [];
      const unsubscribe = await store.onCommit((r) => commits.push(r));
      const writer = async (w: number) => {
        while (!stop) {
          const name = `w${w}-${seq++}`;
          try {
            const o = await store.create(PODS, pod(name));
            acks.set(name, Number(o.metadata.resourceVersion));
          } catch (e) {
            errors.push(e);
            await new Promise((r) => setTimeout(r, 20)); // retryable: back off a little and go on
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await waitFor(() => acks.size >= 200, { what: '200 acknowledged writes', timeoutMs: 30_000 });
      server.restart('immediate');
      const afterRestart = acks.size;
      await waitFor(() => acks.size >= afterRestart + 200, {
        what: '200 more writes after the restart',
        timeoutMs: 30_000,
      });
      stop = true;
      await Promise.all(writers);
      const restartRev = Math.max(...acks.values());
      await waitFor(() => commits.some((r) => r >= restartRev), {
        what: 'onCommit after reconnect',
        timeoutMs: 15_000,
      });
      await unsubscribe();

      for (const e of errors) {
        expect(e).toBeInstanceOf(BosunError);
        expect((e as BosunError).code).toBe(ErrorCode.Unavailable);
        expect((e as BosunError).retryable).toBe(true);
      }
      const c = new Client({
        connectionString: server.url,
        options: '-c search_path=bosun_restart',
      });
      await c.connect();
      try {
        const rows = (await c.query('SELECT revision, name FROM events ORDER BY revision')).rows;
        const byName = new Map(rows.map((r) => [r.name as string, Number(r.revision)]));
        for (const [name, rev] of acks) expect(byName.get(name)).toBe(rev);
        expect(rows.map((r) => Number(r.revision))).toEqual(rows.map((_, i) => i + 1));
      } finally {
        await c.end();
      }
      expect((await rebuildProjection(store, { check: true })).differences).toEqual([]);
    }, 120_000);
  },
);
