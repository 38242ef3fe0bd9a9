import { createLogger } from '@bosun/common';
import { createService, type ServiceHandle } from './create-service';
import type { ConfigOf, ConfigSchema, HostConfig, ServiceOptions } from './service-options';

/** How long a SIGTERM'd service may take to close before it is forced out. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The whole life of a service process: validate config, start, and on SIGTERM/SIGINT close the
 * HTTP server and every Nest provider (`onModuleDestroy` hooks run) and exit 0. A start-up failure
 * is logged as one fatal JSON line and rethrown, so `main.ts` can exit non-zero.
 */
export async function bootstrapService<S extends ConfigSchema>(
  opts: ServiceOptions<S>,
): Promise<ServiceHandle<HostConfig & ConfigOf<S>>> {
  const logger = opts.logger ?? createLogger(opts.name);
  const fatal = (e: unknown): never => {
    logger.fatal(
      { err: e },
      `${opts.name} failed to start: ${e instanceof Error ? e.message : String(e)}`,
    );
    throw e;
  };
  let handle: ServiceHandle<HostConfig & ConfigOf<S>>;
  try {
    handle = createService({ ...opts, logger });
  } catch (e) {
    return fatal(e);
  }
  // Armed before start-up: a SIGTERM that arrives while the service is still starting (a supervisor
  // stopping it early) waits for start to settle and then stops it cleanly, instead of the default
  // action killing the process mid-start.
  const started = handle.start();
  installSignalHandlers(handle, started);
  await started.catch(fatal);
  return handle;
}

function installSignalHandlers(handle: ServiceHandle<unknown>, started: Promise<void>): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    // Armed first, so even a failing log write cannot keep the process from exiting. Unref'd: it
    // only fires if closing hangs, and never keeps the process alive.
    setTimeout(() => {
      handle.logger.error(`${handle.name} did not stop within ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    handle.logger.info({ signal }, `${handle.name} received ${signal}`);
    started
      .catch(() => undefined)
      .then(() => handle.stop())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          handle.logger.error({ err: e }, `${handle.name} failed to stop cleanly`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
