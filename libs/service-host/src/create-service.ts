import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';
import { BosunError, ErrorCode, createLogger, type Logger } from '@bosun/common';
import type { Component } from './component';
import { loadServiceConfig } from './host-config';
import { createMetricsRegistry } from './metrics-registry';
import { PinoNestLogger } from './pino-nest-logger';
import { ReadinessRegistry } from './readiness-registry';
import { ServiceHostModule } from './service-host.module';
import type { ConfigOf, ConfigSchema, HostConfig, ServiceOptions } from './service-options';

/** A service as a `Component`, plus what callers (tests, `npm start`) need to reach it. */
export interface ServiceHandle<C = HostConfig> extends Component {
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** `http://host:port` once started (host 127.0.0.1 when bound to every address). */
  url(): string;
  /** The Nest application once started. */
  app(): NestFastifyApplication;
}

@Module({})
class ServiceRootModule {}

const READY_POLL_MS = 100;

/**
 * Builds a service without starting it. Config is validated here, so a wrong env var fails
 * before any port is opened.
 */
export function createService<S extends ConfigSchema>(
  opts: ServiceOptions<S>,
): ServiceHandle<HostConfig & ConfigOf<S>> {
  const config = loadServiceConfig(
    opts.name,
    opts.defaultPort,
    opts.config,
    opts.env ?? process.env,
  );
  const logger = opts.logger ?? createLogger(opts.name);
  const metrics = createMetricsRegistry(opts.name);
  const info = { name: opts.name, status: opts.status, startedAt: new Date().toISOString() };
  let app: NestFastifyApplication | undefined;
  let url: string | undefined;
  let stopped = false;
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));

  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [ServiceHostModule.forRoot({ info, config, logger, metrics }), opts.module],
  };
  const running = (): NestFastifyApplication => {
    if (!app) throw new BosunError(ErrorCode.Unavailable, `${opts.name} is not started`);
    return app;
  };

  return {
    name: opts.name,
    config,
    logger,
    metrics,
    url: () => {
      running();
      return url as string;
    },
    app: running,
    async start() {
      if (app) return;
      app = await NestFactory.create<NestFastifyApplication>(
        root,
        new FastifyAdapter({ logger: false }),
        {
          logger: new PinoNestLogger(logger),
          abortOnError: false,
        },
      );
      await app.listen(config.httpPort, config.httpHost);
      const address = app.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : config.httpPort;
      const host =
        config.httpHost === '0.0.0.0' || config.httpHost === '::' ? '127.0.0.1' : config.httpHost;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      logger.info(
        { port, host: config.httpHost, phase: opts.status.phase },
        `${opts.name} listening`,
      );
      if (opts.status.phase !== 'functional') {
        logger.warn(
          { phase: opts.status.phase },
          `${opts.name} is not yet functional: ${opts.status.summary}`,
        );
      }
      markStarted();
    },
    async ready() {
      await started;
      const readiness = running().get(ReadinessRegistry);
      while (!stopped && !(await readiness.evaluate()).ready) {
        await new Promise((r) => setTimeout(r, READY_POLL_MS));
      }
    },
    async stop() {
      if (stopped || !app) return;
      stopped = true;
      logger.info(`${opts.name} shutting down`);
      await app.close();
      logger.info(`${opts.name} stopped`);
    },
  };
}
