import { FakeClock } from '../testing/fake-clock';
import { buildEvent } from './event-builder';
import { EventCorrelator } from './event-correlator';
import type { CoreEvent } from './core-event';

const origin = { source: { component: 'kubelet', host: 'n1' } };

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const correlator = new EventCorrelator({ clock });
  const event = (reason: string, message: string, name = 'web'): CoreEvent =>
    buildEvent(
      { involvedObject: { kind: 'Pod', namespace: 'ns', name }, type: 'Warning', reason, message },
      origin,
      clock.now(),
    );
  return { clock, correlator, event };
}

describe('EventCorrelator', () => {
  it('turns a repeat within 10 minutes into a patch of the first Event: count+1, lastTimestamp moves', async () => {
    const { clock, correlator, event } = setup();
    const first = correlator.correlate(event('BackOff', 'restarting'));
    expect(first.action).toBe('create');
    await clock.advance(60_000);
    const second = correlator.correlate(event('BackOff', 'restarting'));
    if (first.action !== 'create' || second.action !== 'patch') throw new Error('unexpected');
    expect(second.event.metadata.name).toBe(first.event.metadata.name);
    expect(second.event.firstTimestamp).toBe(first.event.firstTimestamp);
    expect(second.patch).toEqual({
      count: 2,
      lastTimestamp: '2026-01-01T00:01:00Z',
      message: 'restarting',
    });
    await clock.advance(60_000);
    const third = correlator.correlate(event('BackOff', 'restarting'));
    expect(third.action === 'patch' && third.patch.count).toBe(3);
  });

  it('starts a new Event once the last one is more than 10 minutes old', async () => {
    const { clock, correlator, event } = setup();
    const first = correlator.correlate(event('BackOff', 'restarting'));
    await clock.advance(10 * 60_000 + 1000);
    const again = correlator.correlate(event('BackOff', 'restarting'));
    expect(again.action).toBe('create');
    if (first.action !== 'create' || again.action !== 'create') throw new Error('unexpected');
    expect(again.event.metadata.name).not.toBe(first.event.metadata.name);
  });

  it('keeps Events about other objects, reasons or messages apart', () => {
    const { correlator, event } = setup();
    const actions = [
      event('BackOff', 'a'),
      event('BackOff', 'a', 'db'),
      event('Failed', 'a'),
      event('BackOff', 'b'),
    ].map((e) => correlator.correlate(e).action);
    expect(actions).toEqual(['create', 'create', 'create', 'create']);
  });

  it('combines the 10th similar Event (same object and reason, new message) and counts the rest on it', () => {
    const { correlator, event } = setup();
    const results = Array.from({ length: 12 }, (_, i) =>
      correlator.correlate(event('Failed', `attempt ${i}`)),
    );
    expect(results.slice(0, 9).map((r) => r.action)).toEqual(Array(9).fill('create'));
    const tenth = results[9];
    expect(tenth.action).toBe('create');
    expect(tenth.action !== 'drop' && tenth.event.message).toBe(
      '(combined from similar events): attempt 9',
    );
    const twelfth = results[11];
    expect(twelfth.action).toBe('patch');
    expect(twelfth.action === 'patch' && twelfth.patch).toMatchObject({
      count: 3,
      message: '(combined from similar events): attempt 11',
    });
  });

  it('drops spam: 25 Events from one source about one object, then one per 5 minutes', async () => {
    const { clock, correlator, event } = setup();
    const burst = Array.from({ length: 30 }, (_, i) =>
      correlator.correlate(event(`R${i}`, 'm')),
    ).map((r) => r.action);
    expect(burst.filter((a) => a !== 'drop')).toHaveLength(25);
    expect(burst.slice(25)).toEqual(Array(5).fill('drop'));
    // Another object from the same source is not held back.
    expect(correlator.correlate(event('R0', 'm', 'db')).action).toBe('create');
    await clock.advance(5 * 60_000);
    expect(correlator.correlate(event('R99', 'm')).action).toBe('create');
    expect(correlator.correlate(event('R100', 'm')).action).toBe('drop');
  });
});
