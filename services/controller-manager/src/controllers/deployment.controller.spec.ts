import type { Controller } from '@bosun/controller-kit';
import { Resources } from '../ports/resources';
import { createHarness, type Harness } from '../testing/harness';
import { Annotation } from '../workloads/deployment-util';
import { POD_TEMPLATE_HASH_LABEL, podTemplateHash } from '../workloads/pod-template-hash';
import type { Deployment, Pod, ReplicaSet } from '../workloads/types';
import { deploymentController } from './deployment.controller';
import { replicaSetController } from './replica-set.controller';

const deployment = (
  replicas: number,
  image = 'nginx:1',
  extra: Partial<Deployment['spec']> = {},
): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', generation: 1 },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image }] },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    ...extra,
  },
});

describe('Deployment controller (unit, in-memory fakes, with the ReplicaSet controller)', () => {
  let h: Harness;
  let controllers: Controller[];
  beforeEach(async () => {
    h = createHarness();
  });
  afterEach(() => h.stop());

  const start = async () => {
    controllers = [
      await h.controller(deploymentController),
      await h.controller(replicaSetController),
    ];
  };
  const sets = async () => h.cluster.all<ReplicaSet>(Resources.replicaSets);
  const activePods = async () =>
    (await h.cluster.all<Pod>(Resources.pods)).filter((p) => !p.metadata.deletionTimestamp);
  const getD = () => h.cluster.get<Deployment>(Resources.deployments, 'ns', 'web') as Deployment;
  let peakSpec = 0;
  let peakPods = 0;
  /** Steps every controller until nothing is queued, checking the surge bound after each step. */
  const settle = async (markReady: boolean) => {
    for (let round = 0; round < 200; round++) {
      let n = 0;
      for (const c of controllers) {
        while ((await c.processNext()) !== undefined) {
          n++;
          const specSum = (await sets()).reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
          peakSpec = Math.max(peakSpec, specSum);
          peakPods = Math.max(peakPods, (await activePods()).length);
        }
      }
      if (markReady) {
        for (const p of await activePods()) {
          if (p.status?.phase === 'Running') continue;
          const t = new Date(h.clock.now()).toISOString();
          await h.cluster.updateStatus(Resources.pods, {
            ...p,
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }],
            },
          });
          n++;
        }
      }
      if (n === 0) return;
    }
    throw new Error('did not settle');
  };
  const updateD = async (f: (d: Deployment) => void) => {
    const d = structuredClone(getD());
    f(d);
    d.metadata.generation = (d.metadata.generation ?? 1) + 1;
    await h.cluster.update(Resources.deployments, d);
  };

  it('creates <name>-<pod-template-hash> with the hash in selector and template, revision 1, then its pods', async () => {
    const d = h.cluster.seed(Resources.deployments, deployment(3));
    await start();
    await settle(true);
    const [rs] = await sets();
    const hash = podTemplateHash(d.spec.template);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs.spec.template?.metadata?.labels).toEqual({
      app: 'web',
      [POD_TEMPLATE_HASH_LABEL]: hash,
    });
    expect(rs.metadata.annotations).toMatchObject({
      [Annotation.Revision]: '1',
      [Annotation.DesiredReplicas]: '3',
      [Annotation.MaxReplicas]: '4',
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      uid: d.metadata.uid,
      controller: true,
    });
    expect(await activePods()).toHaveLength(3);
    const after = getD();
    expect(after.metadata.annotations?.[Annotation.Revision]).toBe('1');
    expect(after.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
    });
    const conds = Object.fromEntries(
      (after.status?.conditions ?? []).map((c) => [c.type, c.reason]),
    );
    expect(conds).toEqual({
      Available: 'MinimumReplicasAvailable',
      Progressing: 'NewReplicaSetAvailable',
    });
  });

  it('rolls a new template out within maxSurge/maxUnavailable and keeps the old set at 0 as revision 1', async () => {
    h.cluster.seed(Resources.deployments, deployment(10));
    await start();
    await settle(true);
    peakSpec = 0;
    peakPods = 0;
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] }),
    );
    await settle(true);
    expect(peakSpec).toBeLessThanOrEqual(13); // 10 + ceil(25% of 10)
    expect(peakPods).toBeLessThanOrEqual(13);
    const all = await sets();
    expect(all).toHaveLength(2);
    const byRev = Object.fromEntries(
      all.map((rs) => [rs.metadata.annotations?.[Annotation.Revision], rs.spec.replicas]),
    );
    expect(byRev).toEqual({ '1': 0, '2': 10 });
    expect(getD().status).toMatchObject({
      replicas: 10,
      updatedReplicas: 10,
      availableReplicas: 10,
    });
    expect(getD().metadata.annotations?.[Annotation.Revision]).toBe('2');
  });

  it('never lets availability drop below replicas - maxUnavailable while pods are not ready', async () => {
    h.cluster.seed(
      Resources.deployments,
      deployment(4, 'nginx:1', {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
    );
    await start();
    await settle(true);
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] }),
    );
    await settle(false); // new pods never become ready
    const all = await sets();
    const oldRS = all.find((rs) => rs.metadata.annotations?.[Annotation.Revision] === '1');
    const newRS = all.find((rs) => rs.metadata.annotations?.[Annotation.Revision] === '2');
    expect(oldRS?.spec.replicas).toBe(4);
    expect(newRS?.spec.replicas).toBe(1);
  });

  it('Recreate scales the old set to 0 and creates the new one only once old pods are gone', async () => {
    h.cluster.seed(
      Resources.deployments,
      deployment(2, 'nginx:1', { strategy: { type: 'Recreate' } }),
    );
    await start();
    await settle(true);
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] }),
    );
    let sawBoth = false;
    for (let i = 0; i < 50; i++) {
      const n = (await Promise.all(controllers.map((c) => c.processNext()))).filter(
        (x) => x !== undefined,
      ).length;
      const all = await sets();
      const running = (await activePods()).map((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]);
      if (new Set(running).size > 1) sawBoth = true;
      if (n === 0 && all.length === 2) break;
    }
    await settle(true);
    expect(sawBoth).toBe(false);
    const byRev = Object.fromEntries(
      (await sets()).map((rs) => [
        rs.metadata.annotations?.[Annotation.Revision],
        rs.spec.replicas,
      ]),
    );
    expect(byRev).toEqual({ '1': 0, '2': 2 });
  });

  it('keeps only revisionHistoryLimit old sets', async () => {
    h.cluster.seed(Resources.deployments, deployment(1, 'nginx:1', { revisionHistoryLimit: 1 }));
    await start();
    await settle(true);
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await updateD((d) => (d.spec.template.spec = { containers: [{ name: 'c', image }] }));
      await settle(true);
    }
    const revs = (await sets()).map((rs) => rs.metadata.annotations?.[Annotation.Revision]).sort();
    expect(revs).toEqual(['3', '4']);
  });

  it('going back to an old template reuses its set with the next revision and records the old one', async () => {
    h.cluster.seed(Resources.deployments, deployment(1));
    await start();
    await settle(true);
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] }),
    );
    await settle(true);
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx' + ':1' }] }),
    );
    await settle(true);
    const all = await sets();
    expect(all).toHaveLength(2);
    const back = all.find((rs) => rs.spec.replicas === 1);
    expect(back?.metadata.annotations).toMatchObject({
      [Annotation.Revision]: '3',
      [Annotation.RevisionHistory]: '1',
    });
  });

  it('paused: a template change makes no new set; Progressing says DeploymentPaused; resume rolls', async () => {
    h.cluster.seed(Resources.deployments, deployment(2));
    await start();
    await settle(true);
    await updateD((d) => {
      d.spec.paused = true;
      d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] };
    });
    await settle(true);
    expect(await sets()).toHaveLength(1);
    expect(getD().status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
    });
    await updateD((d) => (d.spec.paused = false));
    await settle(true);
    expect(await sets()).toHaveLength(2);
    expect(getD().status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
  });

  it('reports ProgressDeadlineExceeded when the rollout makes no progress for progressDeadlineSeconds', async () => {
    h.cluster.seed(
      Resources.deployments,
      deployment(2, 'nginx:1', { progressDeadlineSeconds: 30 }),
    );
    await start();
    await settle(false);
    expect(getD().status?.conditions?.find((c) => c.type === 'Progressing')?.status).toBe('True');
    await h.clock.advance(32_000);
    await settle(false);
    expect(getD().status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(getD().status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
  });

  it('scaling mid-rollout spreads the change over the active sets', async () => {
    h.cluster.seed(Resources.deployments, deployment(10));
    await start();
    await settle(true);
    await updateD(
      (d) => (d.spec.template.spec = { containers: [{ name: 'c', image: 'nginx:2' }] }),
    );
    await settle(false);
    await updateD((d) => (d.spec.replicas = 20));
    await settle(false);
    const total = (await sets()).reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
    expect(total).toBe(25); // 20 + 25% surge, new pods never ready
    await settle(true);
    const byRev = Object.fromEntries(
      (await sets()).map((rs) => [
        rs.metadata.annotations?.[Annotation.Revision],
        rs.spec.replicas,
      ]),
    );
    expect(byRev).toEqual({ '1': 0, '2': 20 });
  });

  it('a deployment being deleted creates and scales nothing', async () => {
    h.cluster.seed(Resources.deployments, {
      ...deployment(3),
      metadata: {
        ...deployment(3).metadata,
        deletionTimestamp: '2026-01-01T00:00:00Z',
        finalizers: ['foregroundDeletion'],
      },
    });
    await start();
    await settle(true);
    expect(await sets()).toEqual([]);
    expect(h.cluster.writes.map((w) => w.verb)).toEqual(['status']);
  });
});
