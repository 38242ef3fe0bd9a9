import { Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Counter, type Registry } from 'prom-client';
import { isBosunError, parsers } from '@bosun/common';
import { METRICS_REGISTRY } from './metrics-registry';
import { ReadinessRegistry } from './readiness-registry';
import { createService, type ServiceHandle } from './create-service';
import { runComponents } from './component';
import { Inject } from '@nestjs/common';

/** A pino logger writing into an array, so tests can read the JSON lines a service emits. */
function captureLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ name: 'test', base: { component: 'test-svc' } }, sink);
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines };
}

const gate = { open: false, destroyed: false };

@Injectable()
class GatedDependency implements OnModuleDestroy {
  constructor(readiness: ReadinessRegistry, @Inject(METRICS_REGISTRY) metrics: Registry) {
    readiness.register('gate', () => ({ ok: gate.open, detail: gate.open ? 'open' : 'closed' }));
    new Counter({ name: 'test_things_total', help: 'things', registers: [metrics] }).inc(3);
  }
  onModuleDestroy(): void {
    gate.destroyed = true;
  }
}

@Module({ providers: [GatedDependency] })
class TestModule {}

const env = { TEST_SVC_HTTP_PORT: '0', TEST_SVC_HTTP_HOST: '127.0.0.1' };
const status = { phase: 'skeleton', summary: 'a test double' } as const;

describe('createService', () => {
  let svc: ServiceHandle;
  let logs: ReturnType<typeof captureLogger>;

  beforeAll(async () => {
    logs = captureLogger();
    svc = createService({
      name: 'test-svc',
      module: TestModule,
      defaultPort: 1,
      status,
      env,
      logger: logs.logger,
    });
    await svc.start();
  });
  afterAll(() => svc.stop());

  it('answers /livez and /status with what the service is', async () => {
    const live = await fetch(`${svc.url()}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', service: 'test-svc' });
    const info = (await (await fetch(`${svc.url()}/status`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ name: 'test-svc', status });
  });

  it('answers /readyz 503 while a registered check fails, then 200, and ready() follows', async () => {
    const notReady = await fetch(`${svc.url()}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not ready',
      checks: { gate: { ok: false } },
    });
    const readyPromise = svc.ready();
    gate.open = true;
    await readyPromise;
    for (const path of ['/readyz', '/healthz']) {
      const res = await fetch(`${svc.url()}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        phase: 'skeleton',
        checks: { gate: { ok: true } },
      });
    }
  });

  it('serves default process metrics and the metrics a service adds', async () => {
    const res = await fetch(`${svc.url()}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/test_things_total\{service="test-svc"\} 3/);
  });

  it('emits structured JSON logs, including the not-yet-functional warning', () => {
    const lines = logs.lines();
    expect(lines.find((l) => l.msg === 'test-svc listening')).toMatchObject({
      component: 'test-svc',
      level: 30,
    });
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('not yet functional'))).toBe(
      true,
    );
    // Nest's own messages go through the same logger.
    expect(
      lines.some((l) => l.context === 'RoutesResolver' || l.context === 'NestApplication'),
    ).toBe(true);
  });
});

describe('createService shutdown', () => {
  it('closes the port and runs onModuleDestroy hooks on stop()', async () => {
    gate.destroyed = false;
    const svc = createService({
      name: 'test-svc',
      module: TestModule,
      defaultPort: 1,
      status,
      env,
      logger: captureLogger().logger,
    });
    await svc.start();
    const url = svc.url();
    await svc.stop();
    expect(gate.destroyed).toBe(true);
    await expect(fetch(`${url}/livez`)).rejects.toThrow();
    await svc.stop(); // idempotent
  });
});

describe('createService config', () => {
  it('rejects a bad port before opening anything, naming the variable', () => {
    const attempt = (): unknown =>
      createService({
        name: 'test-svc',
        module: TestModule,
        defaultPort: 1,
        status,
        env: { TEST_SVC_HTTP_PORT: 'eighty' },
      });
    expect(attempt).toThrow(/TEST_SVC_HTTP_PORT="eighty" is not valid/);
    try {
      attempt();
    } catch (e) {
      expect(isBosunError(e, 'Invalid')).toBe(true);
    }
  });

  it('validates and types the service schema alongside the host fields', () => {
    const svc = createService({
      name: 'test-svc',
      module: TestModule,
      defaultPort: 1234,
      status,
      env: { TEST_SVC_WORKERS: '4' },
      config: {
        workers: { env: 'TEST_SVC_WORKERS', default: 1, parse: parsers.int, describe: 'workers' },
      },
    });
    const workers: number = svc.config.workers;
    expect(workers).toBe(4);
    expect(svc.config.httpPort).toBe(1234);
    expect(svc.config.httpHost).toBe('0.0.0.0');
  });
});

describe('services together in one process', () => {
  it('runs two services side by side through runComponents, each with its own port and metrics', async () => {
    @Module({})
    class Empty {}
    const make = (name: string): ServiceHandle =>
      createService({
        name,
        module: Empty,
        defaultPort: 0,
        status,
        env: { [`${name.toUpperCase()}_HTTP_HOST`]: '127.0.0.1' },
        logger: captureLogger().logger,
      });
    const a = make('alpha');
    const b = make('beta');
    const stopAll = await runComponents([a, b]);
    try {
      expect(a.url()).not.toBe(b.url());
      for (const [svc, name] of [
        [a, 'alpha'],
        [b, 'beta'],
      ] as const) {
        expect(await (await fetch(`${svc.url()}/livez`)).json()).toEqual({
          status: 'ok',
          service: name,
        });
        expect(await (await fetch(`${svc.url()}/metrics`)).text()).toContain(`service="${name}"`);
      }
    } finally {
      await stopAll();
    }
  });
});
