import type { KubeObject } from '@bosun/api-client';
import { testing } from '@bosun/controller-kit';
import {
  cronJobController,
  ScheduledTimestampAnnotation,
  type CronJob,
} from './cron-job.controller';
import { Resources as Refs } from '../ports/resources';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const ns = 'default';
const jobs = ref(Refs.jobs, ns);
const cronJobs = ref(Refs.cronJobs, ns);

describe('CronJob controller (integration: real api-server, Postgres, fake clock)', () => {
  let h: ApiHarness;
  const clock = new testing.FakeClock(Date.now());
  beforeAll(async () => {
    h = await startApiHarness(clock);
    await h.start(cronJobController);
  }, 60_000);
  afterAll(() => h?.stop());

  const cronJob = () => h.client.get<CronJob & KubeObject>(cronJobs, 'tick');

  it('creates <name>-<minutes> Jobs when the (fake) clock reaches the schedule, and tracks them', async () => {
    await h.client.create(cronJobs, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
            },
          },
        },
      },
    });
    await clock.advance(61_000);
    const job = await h.waitFor('a Job', async () => {
      const list = await h.client.list<KubeObject>(jobs);
      return list.items.find((j) => j.metadata.name?.startsWith('tick-'));
    });
    const scheduled = Date.parse(
      (job.metadata['annotations'] as Record<string, string>)[ScheduledTimestampAnnotation],
    );
    expect(job.metadata.name).toBe(`tick-${Math.floor(scheduled / 60_000)}`);
    expect(job.metadata['ownerReferences']).toEqual([
      expect.objectContaining({ kind: 'CronJob', name: 'tick', controller: true }),
    ]);
    const status = await h.waitFor('status.active', async () => {
      const s = (await cronJob()).status;
      return s?.active?.length === 1 ? s : undefined;
    });
    expect(status.active![0]).toMatchObject({ kind: 'Job', name: job.metadata.name });
    expect(Date.parse(status.lastScheduleTime!)).toBe(scheduled);

    // The Job finishes (its controller is not running here: the test writes its status).
    const fresh = await h.client.get<KubeObject>(jobs, job.metadata.name!);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await h.client.update(
      jobs,
      {
        ...fresh,
        status: {
          startTime: now,
          completionTime: now,
          succeeded: 1,
          conditions: [
            { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' },
            { type: 'Complete', status: 'True', reason: 'CompletionsReached' },
          ],
        },
      },
      'status',
    );
    const done = await h.waitFor('lastSuccessfulTime', async () => {
      const s = (await cronJob()).status;
      return s?.lastSuccessfulTime && !s.active ? s : undefined;
    });
    expect(done.lastSuccessfulTime).toBe(now);
  }, 60_000);
});
