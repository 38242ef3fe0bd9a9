import pino from 'pino';
import type { Store, StoreEvent } from '@bosun/store';
import type { WatchHub, WatchSink } from '../watch/watch-hub';
import { plausibleSecretToken, SecretTokenIndex } from './secret-token-index';

const NODE_TOKEN = 'n0de-t0ken-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A store whose head query is counted, and a hub that catches up only when told to. */
function fakes() {
  let queries = 0;
  let sink: WatchSink | undefined;
  const waits: ((ok: boolean) => void)[] = [];
  const store = {
    currentRevision: async () => {
      queries++;
      return 10;
    },
    list: async () => ({ items: [], revision: 1, continue: undefined }),
  } as unknown as Store;
  const hub = {
    follow: async (_from: number, _filter: unknown, s: WatchSink) => {
      sink = s;
      return () => undefined;
    },
    reached: () => new Promise<boolean>((resolve) => waits.push(resolve)),
  } as unknown as WatchHub;
  return {
    store,
    hub,
    queries: () => queries,
    waiting: () => waits.length,
    catchUp: () => waits.splice(0).forEach((w) => w(true)),
    push: (e: StoreEvent) => sink?.push(e),
  };
}

const nodeTokenAdded = (token: string): StoreEvent =>
  ({
    type: 'ADDED',
    revision: 11,
    key: { group: '', resource: 'secrets', namespace: 'kube-system', name: 'node-token-n1' },
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'bosun.dev/node-token',
      metadata: { name: 'node-token-n1', namespace: 'kube-system' },
      data: { 'node-name': b64('n1'), token: b64(token) },
    },
  }) as unknown as StoreEvent;

describe('SecretTokenIndex misses', () => {
  const log = pino({ level: 'silent' });
  /** Resolves once every pending callback has run (the catch-up promises chain a few). */
  const settle = () => new Promise((r) => setImmediate(r));

  it('answers a token of no plausible shape from memory, without a query', async () => {
    const f = fakes();
    const index = new SecretTokenIndex(f.store, f.hub, log);
    await index.start();
    expect(plausibleSecretToken('abcdef.0123456789abcdef')).toBe(true);
    expect(plausibleSecretToken(NODE_TOKEN)).toBe(true);
    for (const t of ['nope', 'x'.repeat(600), 'abcdef.short', 'has space in it'])
      expect(plausibleSecretToken(t)).toBe(false);
    await expect(index.authenticate('garbage')).resolves.toBeUndefined();
    expect(f.queries()).toBe(0);
  });

  it('shares one catch-up among concurrent misses, bounds the waiters, and remembers the misses', async () => {
    const f = fakes();
    const index = new SecretTokenIndex(f.store, f.hub, log, Date.now, { maxWaiting: 4 });
    await index.start();
    const tokens = Array.from(
      { length: 50 },
      (_, i) => `abcd${String(i).padStart(2, '0')}.0123456789abcdef`,
    );
    const answers = tokens.map((t) => index.authenticate(t));
    await settle();
    expect(f.queries()).toBe(1);
    expect(f.waiting()).toBe(1);
    f.catchUp();
    // The first caller's head was read before the others arrived: they share one more catch-up.
    await settle();
    expect(f.queries()).toBe(2);
    f.catchUp();
    expect(await Promise.all(answers)).toEqual(tokens.map(() => undefined));
    // The four that waited are remembered: refused from memory, no query, no wait.
    const again = await Promise.all(tokens.slice(0, 4).map((t) => index.authenticate(t)));
    expect(again).toEqual([undefined, undefined, undefined, undefined]);
    expect(f.queries()).toBe(2);
  });

  it('sheds misses past maxWaiting at once instead of parking them', async () => {
    const f = fakes();
    const index = new SecretTokenIndex(f.store, f.hub, log, Date.now, { maxWaiting: 2 });
    await index.start();
    const parked = [1, 2].map((i) => index.authenticate(`parkd${i}.0123456789abcdef`));
    // With two waiting, a third miss answers without waiting for the (stalled) catch-up.
    await expect(index.authenticate('third0.0123456789abcdef')).resolves.toBeUndefined();
    expect(f.queries()).toBe(1);
    await settle();
    f.catchUp();
    await settle();
    f.catchUp();
    await Promise.all(parked);
  });

  it('accepts at once a token that appears after its miss was remembered', async () => {
    const f = fakes();
    const index = new SecretTokenIndex(f.store, f.hub, log);
    await index.start();
    const miss = index.authenticate(NODE_TOKEN);
    await settle();
    f.catchUp();
    await expect(miss).resolves.toBeUndefined();
    f.push(nodeTokenAdded(NODE_TOKEN));
    await expect(index.authenticate(NODE_TOKEN)).resolves.toMatchObject({
      name: 'system:node:n1',
    });
  });
});
