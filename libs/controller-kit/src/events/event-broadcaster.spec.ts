import { createLogger } from '@bosun/common';
import { FakeClock } from '../testing/fake-clock';
import { InMemoryEventPort } from '../testing/in-memory-event-port';
import { EventBroadcaster } from './event-broadcaster';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns', uid: 'u' } };

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const port = new InMemoryEventPort();
  const broadcaster = new EventBroadcaster({
    port,
    clock,
    logger: createLogger('test', 'silent'),
  });
  const recorder = broadcaster.recorder({ component: 'kubelet', host: 'n1' }, 'n1');
  return { clock, port, broadcaster, recorder };
}

describe('EventBroadcaster', () => {
  it('creates an Event once and patches its count on repeats, in order', async () => {
    const { clock, port, broadcaster, recorder } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.drained();
    const [stored] = port.list();
    expect(port.writes).toEqual([
      `create ns/${stored.metadata.name}`,
      `patch ns/${stored.metadata.name} count=2`,
      `patch ns/${stored.metadata.name} count=3`,
    ]);
    expect(stored).toMatchObject({
      count: 3,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:30Z',
      involvedObject: { kind: 'Pod', namespace: 'ns', name: 'web', uid: 'u' },
      source: { component: 'kubelet', host: 'n1' },
    });
  });

  it('writes the Event again when the one it would bump is gone', async () => {
    const { port, broadcaster, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.drained();
    port.events.clear();
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.drained();
    expect(port.list()).toEqual([expect.objectContaining({ count: 2, reason: 'Pulled' })]);
  });

  it('never throws into the caller when the api-server refuses', async () => {
    const { broadcaster } = setup();
    const failing = new EventBroadcaster({
      port: {
        create: () => Promise.reject(new Error('down')),
        patch: () => Promise.reject(new Error('down')),
      },
      logger: createLogger('test', 'silent'),
    });
    expect(() => failing.recorder({ component: 'c' }).event(pod, 'Normal', 'R', 'm')).not.toThrow();
    await failing.drained();
    await broadcaster.drained();
  });
});
