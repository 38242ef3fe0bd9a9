import type { KubeObject } from '@bosun/api-client';
import { FakeRuntime } from '@bosun/runtime';
import { waitFor } from '@bosun/testing';
import type { Lease } from '@bosun/controller-kit';
import {
  CONFIGMAPS,
  deletePod,
  PODS,
  eventReasons,
  pod,
  scriptedFakeRuntime,
  startHarness,
  waitForPod,
  type AgentHarness,
} from './agent-harness';
import type { NodeAgent } from '../src/node-agent';
import type { Pod } from '../src/pods/pod-types';

const condition = (p: Pod, type: string) =>
  p.status?.conditions?.find((c) => c.type === type)?.status;

describe('node agent with the fake runtime against the real api-server (integration: Postgres)', () => {
  let h: AgentHarness;
  let fake: ReturnType<typeof scriptedFakeRuntime>;
  let agent: NodeAgent;
  const execs: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    fake = scriptedFakeRuntime({
      onExec: (_id, req) => {
        execs.push(req.command.join(' '));
        return { exitCode: req.command[0] === 'fail' ? 1 : 0 };
      },
    });
    agent = await h.startAgent({ runtime: fake.runtime });
  }, 60_000);
  afterAll(() => h?.stop());

  it('registers the Node with capacity, labels, addresses, conditions and nodeInfo', async () => {
    const node = await h.client.get<KubeObject>(
      { group: '', version: 'v1', resource: 'nodes' },
      'node-a',
    );
    const meta = node.metadata as { labels: Record<string, string> };
    expect(meta.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-a',
      'kubernetes.io/os': 'linux',
    });
    const status = node.status as {
      capacity: Record<string, string>;
      allocatable: Record<string, string>;
      conditions: { type: string; status: string }[];
      addresses: { type: string }[];
      nodeInfo: { containerRuntimeVersion: string; architecture: string };
    };
    expect(status.capacity).toMatchObject({ pods: '110' });
    expect(Object.keys(status.capacity).sort()).toEqual([
      'cpu',
      'ephemeral-storage',
      'memory',
      'pods',
    ]);
    expect(status.allocatable.pods).toBe('110');
    expect(status.conditions.map((c) => `${c.type}=${c.status}`).sort()).toEqual([
      'DiskPressure=False',
      'MemoryPressure=False',
      'PIDPressure=False',
      'Ready=True',
    ]);
    expect(status.addresses.map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
    expect(status.nodeInfo.containerRuntimeVersion).toBe('fake://0');
    expect((node.spec as { podCIDR?: string }).podCIDR).toBeUndefined();
  });

  it('renews its Lease in kube-node-lease', async () => {
    const leases = {
      group: 'coordination.k8s.io',
      version: 'v1',
      resource: 'leases',
      namespace: 'kube-node-lease',
    };
    const first = await h.client.get<Lease>(leases, 'node-a');
    expect(first.spec?.holderIdentity).toBe('node-a');
    expect(first.spec?.leaseDurationSeconds).toBe(40);
    const later = await waitFor(
      async () => {
        const l = await h.client.get<Lease>(leases, 'node-a');
        return l.spec?.renewTime !== first.spec?.renewTime ? l : undefined;
      },
      { what: 'a renewed lease' },
    );
    expect(Date.parse(later.spec?.renewTime ?? '')).toBeGreaterThan(
      Date.parse(first.spec?.renewTime ?? ''),
    );
  });

  it('runs a bound pod: Running, Ready, container status, IPs, start time and events', async () => {
    await h.client.create(PODS, pod('web', {}));
    const p = await waitForPod(h.client, 'web', (x) => condition(x, 'Ready') === 'True', 'Ready');
    expect(p.status?.phase).toBe('Running');
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      expect(condition(p, type)).toBe('True');
    }
    const cs = p.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({
      name: 'main',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'busybox:1.36',
    });
    expect(cs.state.running?.startedAt).toBeDefined();
    expect(cs.containerID).toMatch(/^bosun:\/\//);
    expect(cs.imageID).toMatch(/^docker\.io\/library\/busybox@sha256:/);
    expect(p.status!.podIP).toMatch(/^10\.250\./);
    expect(p.status!.hostIP).toBeDefined();
    expect(p.status!.startTime).toBeDefined();
    await waitFor(
      async () => {
        const r = await eventReasons(h.client, 'web');
        return ['Pulled', 'Created', 'Started'].every((x) => r.includes(x));
      },
      { what: 'Pulled, Created and Started events' },
    );
  });

  it('builds the env from literals, a ConfigMap, a Secret, fieldRefs and resourceFieldRefs', async () => {
    await h.client.create(CONFIGMAPS, { metadata: { name: 'settings' }, data: { color: 'blue' } });
    await h.client.create(
      { group: '', version: 'v1', resource: 'secrets', namespace: 'default' },
      { metadata: { name: 'creds' }, data: { pw: Buffer.from('s3cret').toString('base64') } },
    );
    await h.client.create(
      PODS,
      pod('envy', {
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            command: ['sleep', '1000'],
            resources: { limits: { memory: '64Mi', cpu: '250m' } },
            env: [
              { name: 'A', value: 'x' },
              { name: 'B', value: '$(A)-y' },
              { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'pw' } } },
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              {
                name: 'MEM',
                valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
              },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            ],
          },
        ],
      }),
    );
    const p = await waitForPod(h.client, 'envy', (x) => x.status?.phase === 'Running', 'Running');
    const config = fake.started.find((c) => c.labels?.['bosun.dev/pod-name'] === 'envy')!;
    expect(config.env).toEqual({
      A: 'x',
      B: 'x-y',
      COLOR: 'blue',
      PW: 's3cret',
      POD: 'envy',
      NODE: 'node-a',
      APP: 'envy',
      IP: p.status!.podIP,
      MEM: '64',
      CPU: '1',
    });
    expect(config.command).toEqual(['sleep', '1000']);
    expect(config.resources).toMatchObject({ memoryLimitBytes: 64 * 2 ** 20, cpuQuotaUs: 25_000 });
  });

  it('waits with CreateContainerConfigError while a ConfigMap is missing, then starts', async () => {
    await h.client.create(
      PODS,
      pod('needs-cm', {
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'k' } } }],
          },
        ],
      }),
    );
    const waiting = await waitForPod(
      h.client,
      'needs-cm',
      (x) =>
        x.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError',
      'CreateContainerConfigError',
    );
    expect(waiting.status!.phase).toBe('Pending');
    expect(waiting.status!.containerStatuses![0]!.state.waiting!.message).toContain(
      'configmap "later" not found',
    );
    expect(await eventReasons(h.client, 'needs-cm')).toContain('Failed');
    await h.client.create(CONFIGMAPS, { metadata: { name: 'later' }, data: { k: 'v' } });
    await waitForPod(h.client, 'needs-cm', (x) => x.status?.phase === 'Running', 'Running', 20_000);
  });

  it('restarts an exiting container (restartPolicy Always) with back-off: CrashLoopBackOff', async () => {
    await h.client.create(
      PODS,
      pod('crashy', {
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['exit', '3'] }],
      }),
    );
    const inBackoff = await waitForPod(
      h.client,
      'crashy',
      (x) => x.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff',
      'CrashLoopBackOff',
    );
    const cs = inBackoff.status!.containerStatuses![0]!;
    expect(inBackoff.status!.phase).toBe('Running');
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cs.ready).toBe(false);
    expect(condition(inBackoff, 'Ready')).toBe('False');
    const later = await waitForPod(
      h.client,
      'crashy',
      (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3,
      'three restarts',
    );
    expect(later.status!.phase).toBe('Running');
    expect(await eventReasons(h.client, 'crashy')).toContain('BackOff');
  });

  it('restartPolicy Never: a failing container makes the pod Failed, no restart', async () => {
    await h.client.create(
      PODS,
      pod('once', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['exit', '2'] }],
      }),
    );
    const p = await waitForPod(h.client, 'once', (x) => x.status?.phase === 'Failed', 'Failed');
    const cs = p.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBe(0);
    expect(cs.state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(condition(p, 'Ready')).toBe('False');
  });

  it('restartPolicy OnFailure: exit 0 succeeds, a failure restarts', async () => {
    await h.client.create(
      PODS,
      pod('job-ok', {
        restartPolicy: 'OnFailure',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['exit', '0'] }],
      }),
    );
    await h.client.create(
      PODS,
      pod('job-bad', {
        restartPolicy: 'OnFailure',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['exit', '1'] }],
      }),
    );
    const ok = await waitForPod(
      h.client,
      'job-ok',
      (x) => x.status?.phase === 'Succeeded',
      'Succeeded',
    );
    expect(ok.status!.containerStatuses![0]!.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    const bad = await waitForPod(
      h.client,
      'job-bad',
      (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      'a restart',
    );
    expect(bad.status!.phase).toBe('Running');
  });

  it('runs init containers in order before the containers', async () => {
    await h.client.create(
      PODS,
      pod('inits', {
        initContainers: [
          { name: 'first', image: 'busybox:1.36', command: ['exit', '0'] },
          { name: 'second', image: 'busybox:1.36', command: ['exit', '0'] },
        ],
      }),
    );
    const p = await waitForPod(h.client, 'inits', (x) => x.status?.phase === 'Running', 'Running');
    expect(condition(p, 'Initialized')).toBe('True');
    expect(p.status!.initContainerStatuses!.map((s) => s.state.terminated?.reason)).toEqual([
      'Completed',
      'Completed',
    ]);
    const order = fake.started
      .filter((c) => c.labels?.['bosun.dev/pod-name'] === 'inits')
      .map((c) => c.name);
    expect(order).toEqual(['first', 'second', 'main']);
  });

  it('a failing readiness probe keeps the pod not Ready and records Unhealthy', async () => {
    await h.client.create(
      PODS,
      pod('unready', {
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            readinessProbe: { exec: { command: ['fail'] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      }),
    );
    const p = await waitForPod(
      h.client,
      'unready',
      (x) =>
        x.status?.phase === 'Running' &&
        x.status?.containerStatuses?.[0]?.state.running !== undefined,
      'Running',
    );
    await waitFor(async () => (await eventReasons(h.client, 'unready')).includes('Unhealthy'), {
      what: 'Unhealthy event',
    });
    const again = await waitForPod(
      h.client,
      'unready',
      (x) => x.status?.containerStatuses?.[0]?.ready === false,
      'not ready',
    );
    expect(condition(again, 'Ready')).toBe('False');
    expect(p.status!.containerStatuses![0]!.restartCount).toBe(0);
  });

  it('a failing liveness probe kills and restarts the container', async () => {
    await h.client.create(
      PODS,
      pod('unlive', {
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            livenessProbe: { exec: { command: ['fail'] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    await waitForPod(
      h.client,
      'unlive',
      (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      'restarted after liveness failures',
      20_000,
    );
    const reasons = await eventReasons(h.client, 'unlive');
    expect(reasons).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
  });

  it('reports ErrImagePull / ImagePullBackOff for an image that cannot be pulled', async () => {
    await h.client.create(
      PODS,
      pod('noimg', { containers: [{ name: 'main', image: 'nothere:missing' }] }),
    );
    const p = await waitForPod(
      h.client,
      'noimg',
      (x) =>
        /^(ErrImagePull|ImagePullBackOff)$/.test(
          x.status?.containerStatuses?.[0]?.state.waiting?.reason ?? '',
        ),
      'ErrImagePull',
    );
    expect(p.status!.phase).toBe('Pending');
  });

  it('deletes gracefully: preStop hook, containers stopped, then the pod is removed by the agent', async () => {
    await h.client.create(
      PODS,
      pod('doomed', {
        terminationGracePeriodSeconds: 5,
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            lifecycle: { preStop: { exec: { command: ['drain', 'doomed'] } } },
          },
        ],
      }),
    );
    const running = await waitForPod(
      h.client,
      'doomed',
      (x) => x.status?.phase === 'Running',
      'Running',
    );
    await deletePod(h.client, 'doomed');
    await waitFor(
      async () => {
        try {
          await h.client.get(PODS, 'doomed');
          return false;
        } catch {
          return true;
        }
      },
      { what: 'the pod to be gone' },
    );
    const sandboxes = await fake.runtime.listPodSandboxes();
    expect(sandboxes.some((s) => s.config.uid === running.metadata.uid)).toBe(false);
    expect(await eventReasons(h.client, 'doomed')).toContain('Killing');
    expect(execs).toContain('drain doomed'); // the preStop hook ran before the stop
  });

  it('adopts running containers after an agent restart: nothing killed or duplicated', async () => {
    await h.client.create(PODS, pod('survivor', {}));
    const before = await waitForPod(
      h.client,
      'survivor',
      (x) => x.status?.phase === 'Running',
      'Running',
    );
    const id = before.status!.containerStatuses![0]!.containerID;
    await agent.stop();
    agent = await h.startAgent({ runtime: fake.runtime });
    const countFor = async () =>
      (await fake.runtime.listContainers()).filter(
        (c) => c.labels['bosun.dev/pod-name'] === 'survivor',
      ).length;
    await waitForPod(h.client, 'survivor', (x) => x.status?.phase === 'Running', 'Running');
    expect(await countFor()).toBe(1);
    const after = await h.client.get<Pod>(PODS, 'survivor');
    expect(after.status!.containerStatuses![0]!.containerID).toBe(id);
    expect(after.status!.containerStatuses![0]!.restartCount).toBe(0);
  });

  it('removes the sandbox of a pod deleted while the agent was down', async () => {
    await h.client.create(PODS, pod('gone-while-away', {}));
    const p = await waitForPod(
      h.client,
      'gone-while-away',
      (x) => x.status?.phase === 'Running',
      'Running',
    );
    await agent.stop();
    await h.client.delete(PODS, 'gone-while-away', { gracePeriodSeconds: 0 });
    agent = await h.startAgent({ runtime: fake.runtime });
    await waitFor(
      async () =>
        !(await fake.runtime.listPodSandboxes()).some((s) => s.config.uid === p.metadata.uid),
      { what: 'the orphaned sandbox to be removed' },
    );
  });

  it('many hollow agents share one process, each running its own pods', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `hollow-${i}`);
    const hollow = await Promise.all(
      names.map((nodeName) =>
        h.startAgent({ nodeName, runtime: new FakeRuntime(), recordEvents: false, resyncMs: 1000 }),
      ),
    );
    try {
      await Promise.all(names.map((n) => h.client.create(PODS, pod(`on-${n}`, {}, n))));
      for (const n of names) {
        const p = await waitForPod(
          h.client,
          `on-${n}`,
          (x) => x.status?.phase === 'Running',
          'Running',
        );
        expect(p.spec.nodeName).toBe(n);
      }
      for (const [i, a] of hollow.entries()) {
        expect((await a.runtime.listPodSandboxes()).map((s) => s.config.name)).toEqual([
          `on-${names[i]}`,
        ]);
      }
    } finally {
      await Promise.all(hollow.map((a) => a.stop()));
    }
  });
});
