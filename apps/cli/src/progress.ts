import type { Output } from './output';

const BAR_WIDTH = 12;

/** `▕█████░░░░░░░▏` for `done` of `total`. */
export function bar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total <= 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏`;
}

/** `[3/6] waiting for node-2 to be Ready ▕██████░░░░░░▏ 12 s` */
export function progressLine(
  step: number,
  total: number,
  label: string,
  elapsedMs: number,
): string {
  return `[${step}/${total}] ${label} ${bar(step - 1, total)} ${Math.floor(elapsedMs / 1000)} s`;
}

/**
 * Start-up progress over a known number of steps: on a terminal one line that redraws itself
 * (the bar counts finished steps, the seconds count the current wait); elsewhere one plain line
 * per step, so logs and CI output stay readable.
 */
export class Progress {
  private step = 0;

  constructor(
    private readonly out: Output,
    private readonly total: number,
  ) {}

  /** Begins the next step; returns the step's number. */
  begin(label: string): number {
    this.step += 1;
    if (this.out.tty) this.out.progress(progressLine(this.step, this.total, label, 0));
    else this.out.info(`[${this.step}/${this.total}] ${label}`);
    return this.step;
  }

  /** Redraws the current step's line (terminal only). */
  tick(label: string, elapsedMs: number): void {
    if (this.out.tty) this.out.progress(progressLine(this.step, this.total, label, elapsedMs));
  }

  done(line: string): void {
    this.out.info(`✓ ${line}`);
  }
}
