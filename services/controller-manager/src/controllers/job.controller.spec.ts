import { testing } from '@bosun/controller-kit';
import { JobReconciler, type Job } from './job.controller';
import type { Pod } from '../workloads/types';
import { Resources as Refs } from '../ports/resources';
import { FakeObjectWriter } from './testing/fake-object-writer';

const job = (spec: Partial<Job['spec']> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'ns' },
  spec: {
    template: {
      metadata: { labels: { app: 'pi' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] },
    },
    ...spec,
  },
});

async function setup(spec: Partial<Job['spec']> = {}) {
  const clock = new testing.FakeClock();
  const writer = new FakeObjectWriter(clock);
  writer.seed(Refs.jobs, job(spec));
  const deps = {
    jobs: await writer.informer<Job>(Refs.jobs),
    pods: await writer.informer<Pod>(Refs.pods),
    writer,
    clock,
  };
  const reconciler = new JobReconciler(deps);
  const pods = () =>
    deps.pods.list().sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  return {
    clock,
    writer,
    reconciler,
    pods,
    reconcile: () => reconciler.reconcile('ns/pi'),
    status: () => deps.jobs.get('ns/pi')!.status!,
    conditions: () =>
      (deps.jobs.get('ns/pi')!.status?.conditions ?? []).map(
        (c) => `${c.type}=${c.status}:${c.reason}`,
      ),
    finish: (pod: Pod, phase: 'Succeeded' | 'Failed') =>
      writer.replace(Refs.pods, { ...pod, status: { phase } }),
  };
}

describe('Job reconcile', () => {
  it('starts parallelism pods labelled and owned like Kubernetes, and records startTime/active', async () => {
    const t = await setup({ completions: 5, parallelism: 2 });
    expect(await t.reconcile()).toBeUndefined();
    expect(t.writer.take()).toEqual([
      'create pods ns/pi-00001',
      'create pods ns/pi-00002',
      'status jobs ns/pi',
    ]);
    const pod = t.pods()[0];
    expect(pod.metadata.labels).toEqual(
      expect.objectContaining({
        app: 'pi',
        'job-name': 'pi',
        'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': expect.any(String),
      }),
    );
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Job',
        name: 'pi',
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    expect(t.status()).toEqual({
      active: 2,
      ready: 0,
      succeeded: 0,
      failed: 0,
      terminating: 0,
      conditions: [],
      startTime: '2026-01-01T00:00:00Z',
    });
  });

  it('runs to completions, then SuccessCriteriaMet and Complete with completionTime', async () => {
    const t = await setup({ completions: 2, parallelism: 2 });
    await t.reconcile();
    for (const p of t.pods()) t.finish(p, 'Succeeded');
    await t.clock.advance(5000);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status jobs ns/pi']);
    expect(t.conditions()).toEqual([
      'SuccessCriteriaMet=True:CompletionsReached',
      'Complete=True:CompletionsReached',
    ]);
    expect(t.status()).toMatchObject({
      succeeded: 2,
      active: 0,
      completionTime: '2026-01-01T00:00:05Z',
    });
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('creates only what is still needed: completions minus succeeded', async () => {
    const t = await setup({ completions: 3, parallelism: 3 });
    await t.reconcile();
    const [a, b] = t.pods();
    t.finish(a, 'Succeeded');
    t.finish(b, 'Succeeded');
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status jobs ns/pi']);
    expect(t.status()).toMatchObject({ active: 1, succeeded: 2 });
  });

  it('replaces failed pods until failed exceeds backoffLimit, then FailureTarget and Failed', async () => {
    const t = await setup({ backoffLimit: 1 });
    await t.reconcile();
    t.finish(t.pods()[0], 'Failed');
    t.writer.take();
    // The replacement waits out the back-off: 10 s after the first failure.
    expect(await t.reconcile()).toEqual({ requeueAfter: 10_000 });
    expect(t.writer.take()).toEqual(['status jobs ns/pi']);
    await t.clock.advance(10_000);
    await t.reconcile();
    expect(t.writer.take()).toEqual(['create pods ns/pi-00002', 'status jobs ns/pi']);
    expect(t.status()).toMatchObject({ failed: 1, active: 1 });
    t.finish(t.pods()[1], 'Failed');
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status jobs ns/pi']);
    expect(t.conditions()).toEqual([
      'FailureTarget=True:BackoffLimitExceeded',
      'Failed=True:BackoffLimitExceeded',
    ]);
    expect(t.status().conditions![1].message).toBe('Job has reached the specified backoff limit');
  });

  it('counts container restarts against backoffLimit under restartPolicy OnFailure', async () => {
    const t = await setup({ backoffLimit: 2 });
    const next = job({ backoffLimit: 2 });
    next.spec.template.spec.restartPolicy = 'OnFailure';
    t.writer.replace(Refs.jobs, next);
    await t.reconcile();
    const pod = t.pods()[0];
    t.writer.replace(Refs.pods, {
      ...pod,
      status: { phase: 'Running', containerStatuses: [{ restartCount: 2 }] },
    });
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/pi-00001', 'status jobs ns/pi']);
    expect(t.conditions()).toEqual(['FailureTarget=True:BackoffLimitExceeded']);
    expect(t.status()).toMatchObject({ active: 0, terminating: 1 });
    await t.reconcile();
    expect(t.conditions()).toEqual([
      'FailureTarget=True:BackoffLimitExceeded',
      'Failed=True:BackoffLimitExceeded',
    ]);
    expect(t.status()).toMatchObject({ terminating: 0 });
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and deletes the active pods', async () => {
    const t = await setup({ activeDeadlineSeconds: 30, parallelism: 2, completions: 2 });
    expect(await t.reconcile()).toEqual({ requeueAfter: 30_000 });
    await t.clock.advance(10_000);
    expect(await t.reconcile()).toEqual({ requeueAfter: 20_000 });
    await t.clock.advance(20_000);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      'delete pods ns/pi-00001',
      'delete pods ns/pi-00002',
      'status jobs ns/pi',
    ]);
    expect(t.conditions()).toEqual(['FailureTarget=True:DeadlineExceeded']);
    await t.reconcile();
    expect(t.conditions()).toEqual([
      'FailureTarget=True:DeadlineExceeded',
      'Failed=True:DeadlineExceeded',
    ]);
    expect(t.pods()).toEqual([]);
  });

  it('with no completions (work queue) finishes when one pod succeeded and none runs', async () => {
    const t = await setup({ parallelism: 2 });
    await t.reconcile();
    const [a, b] = t.pods();
    t.finish(a, 'Succeeded');
    t.writer.take();
    await t.reconcile();
    // Success is reached; the other worker is stopped, then the Job completes.
    expect(t.writer.take()).toEqual([`delete pods ns/${b.metadata.name}`, 'status jobs ns/pi']);
    await t.reconcile();
    expect(t.conditions()).toEqual([
      'SuccessCriteriaMet=True:CompletionsReached',
      'Complete=True:CompletionsReached',
    ]);
  });

  it('suspend deletes the pods; resume starts them again with a fresh startTime', async () => {
    const t = await setup({ completions: 1 });
    await t.reconcile();
    t.writer.replace(Refs.jobs, { ...job({ completions: 1, suspend: true }), status: t.status() });
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/pi-00001', 'status jobs ns/pi']);
    expect(t.conditions()).toEqual(['Suspended=True:JobSuspended']);
    await t.clock.advance(60_000);
    t.writer.replace(Refs.jobs, { ...job({ completions: 1, suspend: false }), status: t.status() });
    await t.reconcile();
    expect(t.writer.take()).toEqual(['create pods ns/pi-00002', 'status jobs ns/pi']);
    expect(t.conditions()).toEqual(['Suspended=False:JobResumed']);
    expect(t.status().startTime).toBe('2026-01-01T00:01:00Z');
  });

  it('does not create twice while its own creations are not yet in the cache', async () => {
    const t = await setup({ completions: 3, parallelism: 3 });
    (t.reconciler as unknown as { deps: { pods: { stop(): void } } }).deps.pods.stop();
    await t.reconcile();
    await t.writer.take();
    await t.reconcile().catch(() => undefined);
    expect(t.writer.take().filter((l) => l.startsWith('create'))).toEqual([]);
  });

  it('Indexed: one pod per index with the completion index, completedIndexes as ranges', async () => {
    const t = await setup({ completions: 4, parallelism: 2, completionMode: 'Indexed' });
    await t.reconcile();
    const [p0, p1] = t.pods();
    expect(p0.metadata.labels!['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect((p0.spec as { hostname?: string }).hostname).toBe('pi-0');
    expect(p1.metadata.name).toMatch(/^pi-1-/);
    t.finish(p1, 'Succeeded');
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['create pods ns/pi-2-00003', 'status jobs ns/pi']);
    expect(t.status()).toMatchObject({ completedIndexes: '1', succeeded: 1, active: 2 });
  });

  it('doubles the back-off per failure, counted from the finish time the node agent reported', async () => {
    const t = await setup({ backoffLimit: 6 });
    await t.reconcile();
    const failAt = (pod: Pod, finishedAt: string) =>
      t.writer.replace(Refs.pods, {
        ...pod,
        status: {
          phase: 'Failed',
          containerStatuses: [{ restartCount: 0, state: { terminated: { finishedAt } } }],
        },
      });
    failAt(t.pods()[0], '2026-01-01T00:00:00Z');
    await t.clock.advance(10_000);
    await t.reconcile();
    failAt(t.pods()[1], '2026-01-01T00:00:12Z');
    await t.clock.advance(2_000);
    // Two failures: 20 s after the newest one finished (at 00:00:12), we are at 00:00:12.
    expect(await t.reconcile()).toEqual({ requeueAfter: 20_000 });
  });

  it('creates nothing for a Job that is being deleted', async () => {
    const t = await setup({ completions: 1 });
    const doomed = job({ completions: 1 });
    doomed.metadata['deletionTimestamp'] = '2026-01-01T00:00:00Z';
    t.writer.replace(Refs.jobs, doomed);
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });
});
