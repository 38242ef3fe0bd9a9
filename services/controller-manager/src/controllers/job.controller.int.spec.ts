import type { KubeObject } from '@bosun/api-client';
import { testing } from '@bosun/controller-kit';
import { jobController, type Job } from './job.controller';
import { Resources as Refs } from '../ports/resources';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const ns = 'default';
const jobs = ref(Refs.jobs, ns);
const pods = ref(Refs.pods, ns);

describe('Job controller (integration: real api-server, Postgres)', () => {
  let h: ApiHarness;
  // Fake time, so the 10 s back-off before a failed pod's replacement passes without waiting.
  const clock = new testing.FakeClock(Date.now());
  beforeAll(async () => {
    h = await startApiHarness(clock);
    await h.start(jobController);
  }, 60_000);
  afterAll(() => h?.stop());

  const podsOf = async (name: string) =>
    (await h.client.list<KubeObject>(pods, { labelSelector: `job-name=${name}` })).items;
  const job = (name: string) => h.client.get<Job & KubeObject>(jobs, name);
  const condition = async (name: string, type: string) =>
    (await job(name)).status?.conditions?.find((c) => c.type === type && c.status === 'True');

  it('runs pods one at a time to 2 completions, then is Complete', async () => {
    await h.client.create(jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'twice' },
      spec: {
        completions: 2,
        parallelism: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
    for (let round = 1; round <= 2; round++) {
      const running = await h.waitFor(`pod ${round}`, async () => {
        await clock.advance(1000); // retries after a conflict back off on this clock too
        const list = await podsOf('twice');
        const active = list.filter(
          (p) => (p['status'] as { phase?: string })?.phase !== 'Succeeded',
        );
        return list.length === round && active.length === 1 ? active[0] : undefined;
      });
      expect(running.metadata['ownerReferences']).toEqual([
        expect.objectContaining({ kind: 'Job', name: 'twice', controller: true }),
      ]);
      await h.setPodStatus(ns, running.metadata.name!, { phase: 'Succeeded' });
    }
    const complete = await h.waitFor('Complete', () => condition('twice', 'Complete'));
    expect(complete.reason).toBe('CompletionsReached');
    const status = (await job('twice')).status!;
    expect(status).toMatchObject({ succeeded: 2, active: 0, failed: 0 });
    expect(status.completionTime).toEqual(expect.any(String));
    expect(status.conditions!.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
  }, 60_000);

  it('fails with BackoffLimitExceeded once failed pods exceed backoffLimit', async () => {
    await h.client.create(jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'flaky' },
      spec: {
        backoffLimit: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
    for (let round = 1; round <= 2; round++) {
      const running = await h.waitFor(`pod ${round}`, async () => {
        await clock.advance(1000);
        const list = await podsOf('flaky');
        const active = list.filter((p) => (p['status'] as { phase?: string })?.phase !== 'Failed');
        return list.length === round && active.length === 1 ? active[0] : undefined;
      });
      await h.setPodStatus(ns, running.metadata.name!, { phase: 'Failed' });
    }
    const failed = await h.waitFor('Failed', () => condition('flaky', 'Failed'));
    expect(failed.reason).toBe('BackoffLimitExceeded');
    expect((await job('flaky')).status).toMatchObject({ failed: 2, active: 0 });
  }, 60_000);
});
