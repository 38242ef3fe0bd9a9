import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createService } from '@bosun/service-host';
import { scheduler } from './main';

const quiet = pino({ level: 'silent' });

describe('scheduler start-up config', () => {
  it('stops at a wrong value, naming the variable', () => {
    expect(() =>
      createService({
        ...scheduler,
        logger: quiet,
        env: { SCHEDULER_PERCENTAGE_OF_NODES_TO_SCORE: '150' },
      }),
    ).toThrow(/SCHEDULER_PERCENTAGE_OF_NODES_TO_SCORE="150" is not valid/);
    expect(() =>
      createService({ ...scheduler, logger: quiet, env: { SCHEDULER_RETRY_PERIOD_MS: '-1' } }),
    ).toThrow(/SCHEDULER_RETRY_PERIOD_MS/);
  });

  it('refuses lease timings that cannot elect a single leader', async () => {
    const svc = createService({
      ...scheduler,
      logger: quiet,
      env: {
        SCHEDULER_HTTP_PORT: '0',
        SCHEDULER_HTTP_HOST: '127.0.0.1',
        SCHEDULER_LEASE_DURATION_MS: '1000',
        SCHEDULER_RENEW_DEADLINE_MS: '2000',
      },
    });
    await expect(svc.start()).rejects.toThrow(
      /SCHEDULER_LEASE_DURATION_MS > SCHEDULER_RENEW_DEADLINE_MS/,
    );
    await svc.stop();
  });

  it('fails to start, naming the file, when the kubeconfig is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bosun-sched-'));
    const path = join(dir, 'missing-kubeconfig');
    const svc = createService({
      ...scheduler,
      logger: quiet,
      env: { SCHEDULER_HTTP_PORT: '0', SCHEDULER_HTTP_HOST: '127.0.0.1', BOSUN_KUBECONFIG: path },
    });
    try {
      await expect(svc.start()).rejects.toThrow(path);
    } finally {
      await svc.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports itself as partial, not functional, on /status', () => {
    expect(scheduler.status.phase).toBe('partial');
    expect(scheduler.status.summary).toMatch(/no preemption/);
  });
});
