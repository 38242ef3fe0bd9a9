import { testing, newControllerRef as ownerReferenceTo } from '@bosun/controller-kit';
import { CronJobReconciler, type CronJob } from './cron-job.controller';
import type { Job } from './job.controller';
import { Resources as Refs } from '../ports/resources';
import { FakeObjectWriter } from './testing/fake-object-writer';

const START = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const jobName = (ms: number) => `hello-${Math.floor(ms / MIN)}`;

const cronJob = (spec: Partial<CronJob['spec']> = {}): CronJob => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'ns' },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {
      metadata: { labels: { app: 'hello' } },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    },
    ...spec,
  },
});

async function setup(spec: Partial<CronJob['spec']> = {}) {
  const clock = new testing.FakeClock(START);
  const writer = new FakeObjectWriter(clock);
  writer.seed(Refs.cronJobs, cronJob(spec));
  const deps = {
    cronJobs: await writer.informer<CronJob>(Refs.cronJobs),
    jobs: await writer.informer<Job>(Refs.jobs),
    writer,
    clock,
  };
  const reconciler = new CronJobReconciler(deps);
  return {
    clock,
    writer,
    deps,
    reconcile: () => reconciler.reconcile('ns/hello'),
    status: () => deps.cronJobs.get('ns/hello')!.status ?? {},
    jobs: () =>
      deps.jobs
        .list()
        .map((j) => j.metadata.name)
        .sort(),
    finish: (name: string, type: 'Complete' | 'Failed', at: number) => {
      const job = deps.jobs.getBy('ns', name)!;
      writer.replace(Refs.jobs, {
        ...job,
        status: {
          startTime: new Date(at - MIN).toISOString(),
          ...(type === 'Complete' ? { completionTime: new Date(at).toISOString() } : {}),
          conditions: [{ type, status: 'True' }],
        },
      });
    },
  };
}

describe('CronJob reconcile', () => {
  it('waits for the first scheduled time without writing anything', async () => {
    const t = await setup();
    expect(await t.reconcile()).toEqual({ requeueAfter: 5 * MIN });
    expect(t.writer.take()).toEqual([]);
  });

  it('creates the Job <cronjob>-<minutes> from the template when due, and records it', async () => {
    const t = await setup();
    await t.clock.advance(5 * MIN);
    expect(await t.reconcile()).toEqual({ requeueAfter: 5 * MIN });
    const name = jobName(START + 5 * MIN);
    expect(t.writer.take()).toEqual([`create jobs ns/${name}`, 'status cronjobs ns/hello']);
    const job = t.deps.jobs.getBy('ns', name)!;
    expect(job.metadata.labels).toEqual({ app: 'hello' });
    expect(job.metadata['annotations']).toEqual({
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:05:00Z',
    });
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'CronJob', name: 'hello', controller: true }),
    ]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(t.status()).toEqual({
      active: [
        { apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'ns', uid: job.metadata.uid },
      ],
      lastScheduleTime: '2026-01-01T00:05:00Z',
    });
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('after many missed runs starts only the most recent one', async () => {
    const t = await setup();
    await t.clock.advance(600 * MIN + 30_000);
    await t.reconcile();
    expect(t.jobs()).toEqual([jobName(START + 600 * MIN)]);
  });

  it('Forbid skips a run while one is active and starts it once the active one ends', async () => {
    const t = await setup({ concurrencyPolicy: 'Forbid' });
    await t.clock.advance(5 * MIN);
    await t.reconcile();
    await t.clock.advance(5 * MIN);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
    await t.clock.advance(MIN);
    t.finish(jobName(START + 5 * MIN), 'Complete', t.clock.now());
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      `create jobs ns/${jobName(START + 10 * MIN)}`,
      'status cronjobs ns/hello',
    ]);
    expect(t.status()).toMatchObject({
      lastScheduleTime: '2026-01-01T00:10:00Z',
      lastSuccessfulTime: '2026-01-01T00:11:00Z',
    });
  });

  it('Replace deletes the active Job before starting the next', async () => {
    const t = await setup({ concurrencyPolicy: 'Replace' });
    await t.clock.advance(5 * MIN);
    await t.reconcile();
    await t.clock.advance(5 * MIN);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      `delete jobs ns/${jobName(START + 5 * MIN)} Background`,
      `create jobs ns/${jobName(START + 10 * MIN)}`,
      'status cronjobs ns/hello',
    ]);
    expect(t.status().active?.map((r) => r.name)).toEqual([jobName(START + 10 * MIN)]);
  });

  it('Allow runs Jobs side by side', async () => {
    const t = await setup();
    await t.clock.advance(5 * MIN);
    await t.reconcile();
    await t.clock.advance(5 * MIN);
    await t.reconcile();
    expect(t.status().active).toHaveLength(2);
  });

  it('does not start a run missed by more than startingDeadlineSeconds', async () => {
    const t = await setup({ startingDeadlineSeconds: 60 });
    await t.clock.advance(7 * MIN);
    expect(await t.reconcile()).toEqual({ requeueAfter: 3 * MIN });
    expect(t.writer.take()).toEqual([]);
    await t.clock.advance(3 * MIN + 30_000);
    await t.reconcile();
    expect(t.jobs()).toEqual([jobName(START + 10 * MIN)]);
  });

  it('starts nothing while suspended', async () => {
    const t = await setup({ suspend: true });
    await t.clock.advance(30 * MIN);
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('honours timeZone', async () => {
    const t = await setup({ schedule: '0 9 * * *', timeZone: 'America/New_York' });
    expect(await t.reconcile()).toEqual({ requeueAfter: 14 * 60 * MIN });
  });

  it('keeps 3 successful and 1 failed finished Jobs, deleting the oldest', async () => {
    const t = await setup();
    const cj = t.deps.cronJobs.get('ns/hello')!;
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const name = `hello-old-${i}`;
      names.push(name);
      t.writer.seed(Refs.jobs, {
        metadata: {
          name,
          namespace: 'ns',
          ownerReferences: [ownerReferenceTo(cj, 'batch/v1', 'CronJob')],
        },
        spec: cronJob().spec.jobTemplate.spec,
      } as Job);
      t.finish(name, i < 4 ? 'Complete' : 'Failed', START - (10 - i) * MIN);
    }
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      'delete jobs ns/hello-old-0 Background',
      'delete jobs ns/hello-old-4 Background',
      'status cronjobs ns/hello',
    ]);
    expect(t.status()).toEqual({ lastSuccessfulTime: '2025-12-31T23:53:00Z' });
  });

  it('rejects an unparseable schedule as Invalid (nothing to retry until it changes)', async () => {
    const t = await setup({ schedule: '* * *' });
    await expect(t.reconcile()).rejects.toMatchObject({ code: 'Invalid' });
  });
});
