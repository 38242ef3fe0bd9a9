/**
 * A level-triggered wake-up: `wake()` before `wait()` is not lost, so a commit hint that arrives
 * while a loop is busy makes its next wait return at once.
 */
export class Wakeup {
  private pending = false;
  private resolve?: () => void;

  wake(): void {
    if (this.resolve) {
      const r = this.resolve;
      this.resolve = undefined;
      r();
    } else this.pending = true;
  }

  /** Resolves on the next `wake()` (or a pending one) or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
