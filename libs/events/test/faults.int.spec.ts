import { createLogger } from '@bosun/common';
import type { Store } from '@bosun/store';
import {
  natsUrl,
  PrivateNatsServer,
  PrivatePostgresServer,
  privatePostgresUnavailable,
  waitFor,
} from '@bosun/testing';
import { startRelay, type Relay } from '../src/relay';
import { watch, type Watch } from '../src/watch';
import {
  Collector,
  concurrentWriters,
  deleteStream,
  range,
  streamRevisions,
  testPrefix,
  deleteTestStreams,
} from './helpers';
import { TestStores } from './real-store';
import { connect } from 'nats';

const logger = createLogger('faults-test', process.env.LOG_LEVEL ?? 'error');

/**
 * Every fault test: writers run throughout, one watcher on everything and one filtered watcher
 * are checked at the end against the log — nothing lost, duplicated or reordered, and every
 * acknowledged write present.
 */
class Scenario {
  readonly all = new Collector();
  readonly even = new Collector();
  readonly watches: Watch[] = [];
  relay?: Relay;
  writers!: ReturnType<typeof concurrentWriters>;

  constructor(
    readonly store: Store,
    readonly nats: string,
    readonly prefix = testPrefix(),
  ) {}

  startRelay(): Relay {
    this.relay = startRelay({ store: this.store, natsUrl: this.nats, prefix: this.prefix, logger });
    return this.relay;
  }

  start(): void {
    this.startRelay();
    const common = { store: this.store, natsUrl: this.nats, prefix: this.prefix, from: 0, logger };
    this.watches.push(watch({ ...common, onEvent: this.all.onEvent }));
    this.watches.push(
      watch({
        ...common,
        filter: { resource: 'pods', labelSelector: 'parity=even' },
        onEvent: this.even.onEvent,
      }),
    );
    this.writers = concurrentWriters(this.store, 3);
  }

  /** Waits until the watcher has seen `more` new events past what it has now. */
  async progress(more: number, what: string): Promise<void> {
    const target = this.all.events.length + more;
    await waitFor(() => this.all.events.length >= target, { timeoutMs: 30_000, what });
  }

  async finishAndCheck(): Promise<void> {
    await this.writers.stop();
    const head = await this.store.currentRevision();
    await this.all.waitForRevision(head, 30_000);
    const log = await this.store.readEvents(0, {}, 1_000_000);
    expect(this.all.revisions()).toEqual(log.map((e) => e.revision));
    const even = log
      .filter((e) => e.object.metadata.labels?.parity === 'even')
      .map((e) => e.revision);
    await waitFor(() => this.even.events.length >= even.length, {
      timeoutMs: 30_000,
      what: 'filtered watch',
    });
    expect(this.even.revisions()).toEqual(even);
    const inLog = new Set(log.map((e) => e.revision));
    expect(this.writers.acked.filter((r) => !inLog.has(r))).toEqual([]);
    expect(this.writers.acked.length).toBeGreaterThan(100);
  }

  async dispose(): Promise<void> {
    await this.writers?.stop();
    await Promise.all(this.watches.map((w) => w.stop()));
    await this.relay?.stop();
  }
}

describe('faults with continuous writes (integration: Postgres + NATS)', () => {
  afterAll(() => deleteTestStreams());
  let stores: TestStores | undefined;
  let scenario: Scenario | undefined;
  afterEach(async () => {
    await scenario?.dispose();
    scenario = undefined;
    await stores?.close();
  });

  it('a relay killed mid-stream and a new one started: watchers miss nothing (Postgres bridges the gap)', async () => {
    stores = await TestStores.create();
    scenario = new Scenario(await stores.open(), natsUrl());
    scenario.start();
    await scenario.progress(100, 'events before the relay dies');
    expect(await stores.killLeaderSession('relay')).toBe(1);
    await scenario.relay!.stop();
    // No relay at all: the live watchers fall back on the log after their stall period.
    await scenario.progress(100, 'events while no relay runs');
    scenario.startRelay();
    await waitFor(() => scenario!.relay!.lastPublished() > 0, {
      timeoutMs: 30_000,
      what: 'new relay to publish',
    });
    await scenario.progress(100, 'events after the new relay');
    await scenario.finishAndCheck();
  }, 90_000);

  it('NATS killed with SIGKILL during writes and started again: watchers poll, then go live again', async () => {
    const nats = await PrivateNatsServer.start();
    try {
      stores = await TestStores.create();
      scenario = new Scenario(await stores.open(), nats.url);
      scenario.start();
      await waitFor(() => scenario!.watches[0].isLive(), {
        timeoutMs: 30_000,
        what: 'watch to go live',
      });
      await scenario.progress(100, 'events before the kill');
      await nats.kill();
      await scenario.progress(100, 'events while NATS is down (writes keep succeeding)');
      expect(scenario.watches[0].isLive()).toBe(false);
      await nats.startProcess();
      await waitFor(() => scenario!.watches.every((w) => w.isLive()), {
        timeoutMs: 30_000,
        what: 'watches live again',
      });
      const head = await scenario.store.currentRevision();
      await waitFor(() => scenario!.relay!.lastPublished() >= head, {
        timeoutMs: 30_000,
        what: 'the relay to re-publish',
      });
      const liveBefore = scenario.watches[0].stats().fromNats;
      await scenario.progress(100, 'events after NATS is back');
      await scenario.finishAndCheck();
      expect(scenario.watches[0].stats().fromNats).toBeGreaterThan(liveBefore);
    } finally {
      await scenario?.dispose();
      scenario = undefined;
      await nats.dispose();
    }
  }, 90_000);

  it('the stream deleted while running: the relay recreates it and watchers resume', async () => {
    stores = await TestStores.create();
    scenario = new Scenario(await stores.open(), natsUrl());
    scenario.start();
    await waitFor(() => scenario!.watches[0].isLive(), {
      timeoutMs: 30_000,
      what: 'watch to go live',
    });
    await scenario.progress(100, 'events before the deletion');
    const broken = scenario.watches[0].stats().feedsBroken;
    await deleteStream(natsUrl(), scenario.prefix);
    await waitFor(() => scenario!.watches[0].stats().feedsBroken > broken, {
      timeoutMs: 30_000,
      what: 'the watch to notice',
    });
    await waitFor(() => scenario!.watches.every((w) => w.isLive()), {
      timeoutMs: 30_000,
      what: 'watches live again',
    });
    await scenario.progress(100, 'events after the deletion');
    await scenario.finishAndCheck();
    const head = await scenario.store.currentRevision();
    await waitFor(() => scenario!.relay!.lastPublished() === head, {
      timeoutMs: 30_000,
      what: 'relay to publish everything again',
    });
    // The new stream starts at the relay's checkpoint and is contiguous from there.
    const nc = await connect({ servers: natsUrl() });
    const inStream = await streamRevisions(nc, scenario.prefix);
    await nc.close();
    expect(inStream.length).toBeGreaterThan(0);
    expect(inStream).toEqual(range(inStream[0], head));
  }, 90_000);

  const why = privatePostgresUnavailable();
  (why ? it.skip : it)(
    `Postgres restarted (immediate): acknowledged writes survive and the watcher resumes${why ? ` — SKIPPED: ${why}` : ''}`,
    async () => {
      const pg = await PrivatePostgresServer.start();
      try {
        stores = await TestStores.createOn(pg.url);
        scenario = new Scenario(await stores.open(), natsUrl());
        scenario.start();
        await scenario.progress(100, 'events before the restart');
        pg.restart('immediate');
        await scenario.progress(100, 'events after the restart');
        await scenario.finishAndCheck();
      } finally {
        await scenario?.dispose();
        scenario = undefined;
        await stores?.close().catch(() => undefined);
        stores = undefined;
        pg.dispose();
      }
    },
    120_000,
  );
});
