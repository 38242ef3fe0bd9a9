import pino from 'pino';
import type { ApiClient, KubeObject } from '@bosun/api-client';
import { BosunError, ErrorCode, isBosunError } from '@bosun/common';
import {
  apiLeasePort,
  apiListWatchPort,
  Informer,
  LeaderElector,
  type Lease,
  type RestClient,
  type WatchEvent,
} from '@bosun/controller-kit';
import { waitFor } from '@bosun/testing';
import { clientFor, startTestApiServer, type TestApiServer } from './cluster';

const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const CMS = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

/** The real client, except that chosen watch streams break after `after` events. */
function flaky(
  client: ApiClient,
  breaks: { after: number; error: BosunError }[],
): RestClient & { watches: string[] } {
  const watches: string[] = [];
  return {
    watches,
    get: (ref, name) => client.get(ref, name),
    list: (ref, q) => client.list(ref, q),
    create: (ref, obj) => client.create(ref, obj),
    update: (ref, obj) => client.update(ref, obj),
    async *watch(ref, q, signal) {
      watches.push(q?.resourceVersion ?? '');
      const plan = breaks.shift();
      let n = 0;
      for await (const e of client.watch(ref, q, signal)) {
        if (plan && n === plan.after) throw plan.error;
        n++;
        yield e as never;
      }
    },
  };
}

const cm = (name: string, label = 'x'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { set: label } },
  data: { v: name },
});

describe('controller-kit api adapters against the real api-server (integration: Postgres)', () => {
  let api: TestApiServer;
  let client: ApiClient;

  beforeAll(async () => {
    api = await startTestApiServer();
    client = await clientFor(api);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  it('lists, then follows the watch from the list revision, and resumes a dropped stream from the last revision', async () => {
    await client.create(CMS, cm('lw-0', 'lw'));
    const drop = new BosunError(ErrorCode.Unavailable, 'connection reset (simulated)');
    const rest = flaky(client, [{ after: 2, error: drop }]);
    const port = apiListWatchPort<KubeObject>(rest, CMS, {
      labelSelector: 'set=lw',
      resumeDelayMs: 10,
      logger: quiet,
    });
    const listed = await port.list();
    expect(listed.items.map((i) => i.metadata.name)).toEqual(['lw-0']);
    const events: WatchEvent<KubeObject>[] = [];
    const errors: unknown[] = [];
    const stop = port.watch(
      listed.revision,
      (e) => events.push(e),
      (e) => errors.push(e),
    );
    try {
      for (let i = 1; i <= 4; i++) await client.create(CMS, cm(`lw-${i}`, 'lw'));
      await client.create(CMS, cm('elsewhere', 'other'));
      await client.delete(CMS, 'lw-1');
      await waitFor(() => events.length === 5, { what: '5 events' });
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED lw-1',
        'ADDED lw-2',
        'ADDED lw-3',
        'ADDED lw-4',
        'DELETED lw-1',
      ]);
      const revisions = events.map((e) => e.revision);
      expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
      expect(new Set(revisions).size).toBe(5);
      expect(rest.watches).toEqual([String(listed.revision), String(events[1].revision)]);
      expect(errors).toEqual([]);
    } finally {
      stop();
    }
  });

  it('hands Gone to the informer, which re-lists and catches up', async () => {
    const gone = new BosunError(ErrorCode.Gone, 'too old resource version (simulated)');
    const rest = flaky(client, [{ after: 0, error: gone }]);
    const informer = new Informer<KubeObject>({
      name: 'cms',
      port: apiListWatchPort(rest, CMS, { labelSelector: 'set=gone', logger: quiet }),
      relistDelayMs: 10,
      logger: quiet,
    });
    await informer.start();
    try {
      await client.create(CMS, cm('g-1', 'gone'));
      await client.create(CMS, cm('g-2', 'gone'));
      await waitFor(() => informer.list().length === 2, { what: 'informer caught up' });
      expect(informer.keys().sort()).toEqual(['default/g-1', 'default/g-2']);
      expect(rest.watches.length).toBe(2);
    } finally {
      informer.stop();
    }
  });

  it('elects exactly one of two candidates over real Leases; after a crash the other takes over on expiry', async () => {
    const port = apiLeasePort(client);
    const candidate = (identity: string) =>
      new LeaderElector({
        port,
        namespace: 'kube-system',
        name: 'crash-test',
        identity,
        leaseDurationMs: 1500,
        renewDeadlineMs: 1000,
        retryPeriodMs: 100,
        logger: quiet,
      });
    const a = candidate('a');
    const b = candidate('b');
    a.start();
    await waitFor(() => a.isLeader(), { what: 'a leading' });
    b.start();
    await waitFor(() => b.leader === 'a', { what: 'b seeing a as leader' });
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.stop(); // no release: as if the process died
    await waitFor(() => b.isLeader(), { timeoutMs: 10_000, what: 'b taking over' });
    expect((await port.get('kube-system', 'crash-test'))?.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
    await b.stop({ release: true });
  });

  it('keeps coordination.k8s.io/v1 Leases with create and resourceVersion preconditions', async () => {
    const port = apiLeasePort(client);
    expect(await port.get('kube-system', 'adapter-test')).toBeUndefined();
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'adapter-test', namespace: 'kube-system' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 5 },
    };
    const created = await port.create(lease);
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (isBosunError(e) ? e.code : String(e)),
      );
    expect(await codeOf(port.create(lease))).toBe(ErrorCode.AlreadyExists);
    const renewed = await port.update({
      ...created,
      spec: { ...created.spec, holderIdentity: 'b' },
    });
    expect(renewed.spec?.holderIdentity).toBe('b');
    expect(
      await codeOf(port.update({ ...created, spec: { ...created.spec, holderIdentity: 'c' } })),
    ).toBe(ErrorCode.Conflict);
    expect((await port.get('kube-system', 'adapter-test'))?.spec?.holderIdentity).toBe('b');
  });
});
