import { CronSchedule } from './cron-schedule';

const at = (iso: string) => Date.parse(iso);

describe('CronSchedule', () => {
  it('finds the newest run in (earliest, now], how many were missed, and the next one', () => {
    const s = new CronSchedule('*/5 * * * *');
    expect(s.window(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:12:00Z'))).toEqual({
      latest: at('2026-01-01T00:10:00Z'),
      missed: 2,
      next: at('2026-01-01T00:15:00Z'),
    });
    // A time exactly on the schedule is due; the earliest bound itself is not.
    expect(s.window(at('2026-01-01T00:05:00Z'), at('2026-01-01T00:10:00Z')).latest).toBe(
      at('2026-01-01T00:10:00Z'),
    );
    expect(s.window(at('2026-01-01T00:10:00Z'), at('2026-01-01T00:12:00Z'))).toEqual({
      missed: 0,
      next: at('2026-01-01T00:15:00Z'),
    });
  });

  it('accepts the Kubernetes macros and time zones', () => {
    expect(new CronSchedule('@hourly').window(0, at('2026-01-01T05:30:00Z')).next).toBe(
      at('2026-01-01T06:00:00Z'),
    );
    const ny = new CronSchedule('0 9 * * *', 'America/New_York');
    expect(ny.window(0, at('2026-01-01T00:00:00Z')).next).toBe(at('2026-01-01T14:00:00Z'));
  });

  it('rejects six-field expressions, garbage and unknown time zones as Invalid', () => {
    for (const [schedule, tz] of [
      ['0 * * * * *', undefined],
      ['every minute', undefined],
      ['61 * * * *', undefined],
      ['0 9 * * *', 'Mars/Base'],
    ] as const) {
      expect(() => new CronSchedule(schedule, tz)).toThrow(
        expect.objectContaining({ code: 'Invalid' }),
      );
    }
  });
});
