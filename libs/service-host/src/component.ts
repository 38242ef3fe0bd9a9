/**
 * The k3s-style contract every runnable part of Bosun follows, so the same code can run split into
 * processes (one component per process) or together (several in one process, for `npm start`
 * and tests).
 *
 * - `start()` begins the work and resolves once it is started — it does not wait for the work to end.
 * - `ready()` resolves once the component can do its job (for a service: it serves HTTP and all
 *   its readiness checks pass). It may be called before or after `start()`.
 * - `stop()` ends the work and releases every resource; calling it twice is harmless.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts components in order and waits until each is ready before starting the next, so a
 * component that depends on an earlier one (scheduler on api-server) finds it serving. If one
 * fails, the ones already started are stopped again (in reverse order) and the error is rethrown.
 */
export async function runComponents(
  components: readonly Component[],
): Promise<() => Promise<void>> {
  const started: Component[] = [];
  const stopAll = async (): Promise<void> => {
    for (const c of [...started].reverse()) await c.stop();
  };
  try {
    for (const c of components) {
      started.push(c);
      await c.start();
      await c.ready();
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return stopAll;
}
