import { createLogger } from '@bosun/common';
import { formatMicroTime } from './lease';
import { LeaderElector } from './leader-elector';
import { FakeClock } from './testing/fake-clock';
import { InMemoryLeasePort } from './testing/in-memory-lease-port';

const silent = createLogger('test', 'silent');

function candidates(n: number, port = new InMemoryLeasePort(), clock = new FakeClock()) {
  const events: string[] = [];
  const electors = Array.from(
    { length: n },
    (_, i) =>
      new LeaderElector({
        port,
        clock,
        namespace: 'kube-system',
        name: 'scheduler',
        identity: `c${i}`,
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
        logger: silent,
        onStartedLeading: () => events.push(`start c${i}`),
        onStoppedLeading: () => events.push(`stop c${i}`),
      }),
  );
  const leaders = () => electors.filter((e) => e.isLeader()).length;
  return { port, clock, events, electors, leaders };
}

describe('LeaderElector', () => {
  it('formats MicroTime with microseconds', () => {
    expect(formatMicroTime(Date.UTC(2026, 10, 27, 20, 45, 10, 123))).toBe(
      '2026-11-27T20:45:10.123000Z',
    );
  });

  it('elects exactly one of several candidates and keeps it while it renews', async () => {
    const { clock, electors, leaders, events, port } = candidates(3);
    electors.forEach((e) => e.start());
    for (let t = 0; t < 60_000; t += 1000) {
      await clock.advance(1000);
      expect(leaders()).toBe(1);
    }
    expect(events).toEqual(['start c0']);
    const lease = (await port.get('kube-system', 'scheduler'))!;
    expect(lease.spec).toMatchObject({
      holderIdentity: 'c0',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await Promise.all(electors.map((e) => e.stop()));
  });

  it('hands over after the lease duration when the leader stops renewing', async () => {
    const { clock, electors, leaders, events, port } = candidates(3);
    electors.forEach((e) => e.start());
    await clock.advance(1000);
    const [leader] = electors.filter((e) => e.isLeader());
    await leader.stop(); // as if it crashed: the lease is left behind
    await clock.advance(14_000);
    expect(leaders()).toBe(0);
    await clock.advance(4_000);
    expect(leaders()).toBe(1);
    const lease = (await port.get('kube-system', 'scheduler'))!;
    expect(lease.spec?.holderIdentity).not.toBe('c0');
    expect(lease.spec?.leaseTransitions).toBe(1);
    expect(lease.spec?.acquireTime).toBe(lease.spec?.renewTime);
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(2);
    await Promise.all(electors.map((e) => e.stop()));
  });

  it('a released lease is taken over without waiting for expiry', async () => {
    const { clock, electors, leaders } = candidates(2);
    electors.forEach((e) => e.start());
    await clock.advance(1000);
    await electors[0].stop({ release: true });
    await clock.advance(2000);
    expect(leaders()).toBe(1);
    expect(electors[1].isLeader()).toBe(true);
    await electors[1].stop();
  });

  it('never yields two leaders when candidates race on the same expired lease', async () => {
    for (let round = 0; round < 20; round++) {
      const { clock, electors } = candidates(4);
      const results = await Promise.all(electors.map((e) => e.tryAcquireOrRenew()));
      expect(results.filter(Boolean)).toHaveLength(1);
      // Let the lease expire for everyone, then race again on the update path.
      await clock.advance(16_000);
      await Promise.all(electors.map((e) => e.tryAcquireOrRenew()));
      await clock.advance(16_000);
      const again = await Promise.all(electors.map((e) => e.tryAcquireOrRenew()));
      expect(again.filter(Boolean)).toHaveLength(1);
    }
  });

  it('steps down when it cannot renew before the renew deadline', async () => {
    const { clock, electors, events, port } = candidates(1);
    let aborted = false;
    const elector = new LeaderElector({
      port,
      clock,
      namespace: 'kube-system',
      name: 'cm',
      identity: 'solo',
      logger: silent,
      onStartedLeading: (signal) => signal.addEventListener('abort', () => (aborted = true)),
    });
    elector.start();
    await clock.advance(100);
    expect(elector.isLeader()).toBe(true);
    port.unavailable = true;
    await clock.advance(9_000);
    expect(elector.isLeader()).toBe(true);
    await clock.advance(2_000);
    expect(elector.isLeader()).toBe(false);
    expect(aborted).toBe(true);
    await elector.stop();
    expect(events).toEqual([]);
    expect(electors).toHaveLength(1);
  });

  it('steps down at its next attempt when it sees another holder in the lease', async () => {
    const { clock, electors, port } = candidates(1);
    electors[0].start();
    await clock.advance(100);
    expect(electors[0].isLeader()).toBe(true);
    // Another process overwrote the lease (e.g. after a long pause of ours).
    const lease = (await port.get('kube-system', 'scheduler'))!;
    await port.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    await clock.advance(2_000);
    expect(electors[0].isLeader()).toBe(false);
    expect(electors[0].leader).toBe('intruder');
    await electors[0].stop();
  });
});
