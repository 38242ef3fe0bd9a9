import { createLogger } from '@bosun/common';
import { testing, type Controller } from '@bosun/controller-kit';
import { ControllerManager, LEASE_NAME, LEASE_NAMESPACE } from './controller-manager';
import type { ControllerFactory } from './controllers';
import { FakeCluster } from './testing/fake-cluster';

describe('ControllerManager leader election (unit, in-memory lease)', () => {
  const clock = new testing.FakeClock();
  const leases = new testing.InMemoryLeasePort();
  const cluster = new FakeCluster(() => clock.now());
  const started: string[] = [];
  const stopped: string[] = [];
  const probe =
    (who: string): ControllerFactory =>
    () =>
      ({
        name: 'probe',
        queue: undefined as never,
        start: async () => void started.push(who),
        stop: async () => void stopped.push(who),
        processNext: async () => undefined,
      }) satisfies Controller;
  const manager = (who: string) =>
    new ControllerManager({
      identity: who,
      leases,
      portFor: cluster.portFor,
      writer: cluster,
      reader: {
        list: (r, ns) => cluster.list(r, ns),
        get: (r, ns, n) => cluster.liveGet(r, ns, n),
      },
      controllers: [probe(who)],
      logger: createLogger('test', 'silent'),
      clock,
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
    });

  it('runs the controllers on exactly one replica and hands over when the leader stops', async () => {
    const a = manager('a');
    const b = manager('b');
    a.start();
    await clock.advance(0);
    b.start();
    await clock.advance(1000);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(started).toEqual(['a']);
    expect((await leases.get(LEASE_NAMESPACE, LEASE_NAME))?.spec?.holderIdentity).toBe('a');

    await a.stop(); // releases the lease
    await clock.advance(1000);
    expect(stopped).toEqual(['a']);
    expect(b.isLeader()).toBe(true);
    expect(started).toEqual(['a', 'b']);
    await b.stop();
    expect(stopped).toEqual(['a', 'b']);
  });
});
