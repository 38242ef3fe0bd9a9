import { defaultPullPolicy } from './pod-defaults';
import { applyDefaults } from './workload-defaults';
import { prepareJobSelector } from './job-selector';

const pod = (image: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }] }] },
});

describe('defaulting', () => {
  it('defaults a Pod like the API server', () => {
    const p = applyDefaults(pod('nginx:1.27')) as ReturnType<typeof pod> & {
      spec: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
    });
    expect(p.spec.containers[0]).toEqual({
      name: 'c',
      image: 'nginx:1.27',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(p.status).toMatchObject({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('pulls Always for :latest or untagged images, IfNotPresent otherwise', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/nginx')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/nginx:1.2')).toBe('IfNotPresent');
    expect(defaultPullPolicy('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  it('keeps what the user set', () => {
    const p = pod('nginx') as Record<string, unknown> & { spec: Record<string, unknown> };
    p.spec['restartPolicy'] = 'Never';
    applyDefaults(p);
    expect(p.spec['restartPolicy']).toBe('Never');
  });

  it('defaults a Deployment and its pod template', () => {
    const d = applyDefaults({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    expect(d.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      template: { spec: { restartPolicy: 'Always', containers: [{ imagePullPolicy: 'Always' }] } },
    });
    expect((d.spec.template.spec as Record<string, unknown>)['serviceAccountName']).toBeUndefined();
  });

  it('defaults Jobs and CronJobs', () => {
    const cj = applyDefaults({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [] } } } },
      },
    });
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: { template: { spec: { dnsPolicy: 'ClusterFirst', restartPolicy: 'Never' } } },
      },
    });
    expect(cj.spec.jobTemplate.spec).not.toHaveProperty('backoffLimit');
    const job = (spec: Record<string, unknown>) =>
      applyDefaults({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        spec: { ...spec, template: { spec: { containers: [] } } },
      }).spec;
    expect(job({})).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    const queue = job({ parallelism: 3 });
    expect(queue).toMatchObject({ parallelism: 3 });
    expect(queue).not.toHaveProperty('completions');
  });

  it('defaults Services, Namespaces and Secrets', () => {
    const svc = applyDefaults({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    const ns = applyDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    expect(ns).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'team' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    expect(
      applyDefaults({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }),
    ).toMatchObject({ type: 'Opaque' });
  });

  it('defaults DaemonSets and StatefulSets', () => {
    const ds = applyDefaults({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: {},
    });
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
    const sts = applyDefaults({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 's' },
      spec: {},
    });
    expect(sts.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { rollingUpdate: { partition: 0 } },
    });
  });

  it('derives Guaranteed QoS from limits that default the requests', () => {
    const p = pod('x') as Record<string, unknown> & {
      spec: { containers: Record<string, unknown>[] };
    };
    p.spec.containers[0]!['resources'] = { limits: { cpu: '1', memory: '1Gi' } };
    applyDefaults(p);
    expect(p).toMatchObject({
      status: { qosClass: 'Guaranteed' },
      spec: { containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' } } }] },
    });
  });

  it("selects a Job's pods by its uid unless the selector is manual", () => {
    const job = prepareJobSelector(
      { metadata: { name: 'pi' }, spec: { template: { spec: {} } } },
      'u-1',
    );
    expect(job.spec).toMatchObject({
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: {
        metadata: {
          labels: {
            'batch.kubernetes.io/job-name': 'pi',
            'controller-uid': 'u-1',
            'job-name': 'pi',
          },
        },
      },
    });
    const manual = prepareJobSelector(
      { metadata: { name: 'm' }, spec: { manualSelector: true } },
      'u-2',
    );
    expect(manual.spec).toEqual({ manualSelector: true });
  });
});
