import { BosunError, ErrorCode } from '@bosun/common';
import { CronExpressionParser } from 'cron-parser';

// The macros Kubernetes accepts, as five-field expressions (cron-parser also knows six-field
// ones with seconds, which a CronJob may not use).
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** More missed runs than this and Kubernetes stops counting (it reports and starts the latest). */
export const MaxMissedSchedules = 100;

export interface ScheduleWindow {
  /** The newest scheduled time in (earliest, now], if any. */
  readonly latest?: number;
  /** How many scheduled times fell in the window (capped past MaxMissedSchedules). */
  readonly missed: number;
  /** The first scheduled time after now. */
  readonly next: number;
}

/** A CronJob schedule in a time zone (IANA name; UTC when absent). Invalid input is Invalid. */
export class CronSchedule {
  private readonly expression: string;

  constructor(
    schedule: string,
    private readonly timeZone = 'UTC',
  ) {
    const text = schedule.trim();
    this.expression = MACROS[text] ?? text;
    if (this.expression.split(/\s+/).length !== 5) {
      throw new BosunError(ErrorCode.Invalid, `unparseable schedule "${schedule}": want 5 fields`);
    }
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      this.iterate(Date.now()).next();
    } catch (cause) {
      throw new BosunError(
        ErrorCode.Invalid,
        `invalid schedule "${schedule}" in time zone "${timeZone}": ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /** The scheduled times after `earliest` up to `now`, and the one after. */
  window(earliest: number, now: number): ScheduleWindow {
    const next = this.iterate(now).next().getTime();
    const latest = this.iterate(now + 1)
      .prev()
      .getTime();
    if (latest <= earliest) return { missed: 0, next };
    const it = this.iterate(earliest);
    let missed = 0;
    while (missed <= MaxMissedSchedules && it.next().getTime() <= now) missed++;
    return { latest, missed, next };
  }

  private iterate(from: number) {
    return CronExpressionParser.parse(this.expression, {
      currentDate: new Date(from),
      tz: this.timeZone,
    });
  }
}
