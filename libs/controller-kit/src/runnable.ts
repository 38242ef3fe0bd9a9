/**
 * What a Manager runs: a controller (`defineController` returns one) or any other loop. `start`
 * returns once it is running (it may keep working in the background); `stop` ends it and
 * resolves when it has finished.
 */
export interface Runnable {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A Runnable around a loop that runs until its signal aborts (e.g. a scheduling loop). */
export function loopRunnable(name: string, run: (signal: AbortSignal) => Promise<void>): Runnable {
  let abort: AbortController | undefined;
  let running: Promise<void> = Promise.resolve();
  return {
    name,
    async start() {
      abort = new AbortController();
      running = run(abort.signal);
    },
    async stop() {
      abort?.abort();
      await running;
    },
  };
}
