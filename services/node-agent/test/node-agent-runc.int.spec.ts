import { readCriLog } from '@bosun/runtime';
import { waitFor } from '@bosun/testing';
import {
  CONFIGMAPS,
  deletePod,
  PODS,
  pod,
  startHarness,
  waitForPod,
  type AgentHarness,
} from './agent-harness';
import {
  TEST_IMAGE,
  createAgentRuncFixture,
  runcUnavailable,
  type AgentRuncFixture,
} from './runc-fixture';
import type { NodeAgent } from '../src/node-agent';

const why = runcUnavailable();

if (why) {
  test.skip(`SKIPPED: node agent runc tests need root, runc, ip and busybox-static: ${why}`, () =>
    undefined);
} else {
  describe('node agent with real runc containers (integration: runc, Postgres)', () => {
    jest.setTimeout(120_000);
    let h: AgentHarness;
    let fx: AgentRuncFixture;
    let agent: NodeAgent;

    beforeAll(async () => {
      h = await startHarness();
      fx = await createAgentRuncFixture();
      agent = await h.startAgent({
        nodeName: 'runc-node',
        runtime: fx.runtime,
        images: fx.images,
        resyncMs: 200,
      });
    }, 120_000);
    afterAll(async () => {
      try {
        await h?.stop();
      } finally {
        await fx?.cleanup();
      }
    }, 120_000);

    const logOf = async (containerID: string) =>
      (
        await readCriLog(
          (await fx.runtime.containerStatus(containerID.replace('bosun://', ''))).logPath,
        )
      )
        .map((e) => e.line)
        .join('\n');

    it('runs a busybox pod: env and a volume from a ConfigMap, tmpfs emptyDir, exec readiness probe, readable log', async () => {
      await h.client.create(CONFIGMAPS, {
        metadata: { name: 'paint' },
        data: { color: 'green', size: 'XL' },
      });
      await h.client.create(
        PODS,
        pod(
          'bb',
          {
            containers: [
              {
                name: 'main',
                image: TEST_IMAGE,
                command: [
                  'sh',
                  '-c',
                  'echo "color=$COLOR pod=$POD"; echo "file=$(cat /cfg/the-size)"; grep " /scratch " /proc/mounts; touch /scratch/ready; sleep 1000',
                ],
                env: [
                  {
                    name: 'COLOR',
                    valueFrom: { configMapKeyRef: { name: 'paint', key: 'color' } },
                  },
                  { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                volumeMounts: [
                  { name: 'cfg', mountPath: '/cfg' },
                  { name: 'scratch', mountPath: '/scratch' },
                ],
                readinessProbe: {
                  exec: { command: ['test', '-f', '/scratch/ready'] },
                  periodSeconds: 1,
                },
              },
            ],
            volumes: [
              {
                name: 'cfg',
                configMap: { name: 'paint', items: [{ key: 'size', path: 'the-size' }] },
              },
              { name: 'scratch', emptyDir: { medium: 'Memory' } },
            ],
            terminationGracePeriodSeconds: 2,
          },
          'runc-node',
        ),
      );
      const p = await waitForPod(
        h.client,
        'bb',
        (x) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
        'Ready (exec readiness probe passed)',
        60_000,
      );
      const cs = p.status!.containerStatuses![0]!;
      expect(cs.imageID).toMatch(/^test\.local\/busybox@sha256:[0-9a-f]{64}$/);
      expect(p.status!.podIP).toMatch(/^10\./);
      const log = await waitFor(
        async () => {
          const text = await logOf(cs.containerID!);
          return text.includes('tmpfs') ? text : undefined;
        },
        { what: 'the container log', timeoutMs: 20_000 },
      );
      expect(log).toContain('color=green pod=bb');
      expect(log).toContain('file=XL');
      expect(log).toMatch(/tmpfs \/scratch tmpfs/);
      await deletePod(h.client, 'bb');
      await waitFor(
        async () =>
          h.client.get(PODS, 'bb').then(
            () => false,
            () => true,
          ),
        { what: 'the pod to be deleted by the agent', timeoutMs: 30_000 },
      );
      expect((await fx.runtime.listPodSandboxes()).filter((s) => s.config.name === 'bb')).toEqual(
        [],
      );
    });

    it('restarts a container that exits, with its exit code in lastState', async () => {
      await h.client.create(
        PODS,
        pod(
          'quitter',
          { containers: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'exit 7'] }] },
          'runc-node',
        ),
      );
      const p = await waitForPod(
        h.client,
        'quitter',
        (x) =>
          (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 &&
          !!x.status?.containerStatuses?.[0]?.lastState.terminated,
        'a restart',
        60_000,
      );
      expect(p.status!.containerStatuses![0]!.lastState.terminated!.exitCode).toBe(7);
      await deletePod(h.client, 'quitter');
      await waitFor(
        async () =>
          h.client.get(PODS, 'quitter').then(
            () => false,
            () => true,
          ),
        {
          what: 'deleted',
          timeoutMs: 30_000,
        },
      );
    });

    it('adopts a running container after the agent and its runtime restart', async () => {
      await h.client.create(
        PODS,
        pod(
          'keeper',
          {
            terminationGracePeriodSeconds: 1, // sleep as PID 1 ignores SIGTERM: SIGKILL after 1 s
            containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '1000'] }],
          },
          'runc-node',
        ),
      );
      const before = await waitForPod(
        h.client,
        'keeper',
        (x) => x.status?.phase === 'Running',
        'Running',
        60_000,
      );
      const id = before.status!.containerStatuses![0]!.containerID!;
      await agent.stop();
      const runtime = await fx.reopen();
      agent = await h.startAgent({
        nodeName: 'runc-node',
        runtime,
        images: fx.images,
        resyncMs: 200,
      });
      // A sync of the adopted pod happens at start; give it a relist or two to act (it must not).
      await waitFor(async () => (await runtime.listContainers()).length > 0, { what: 'a relist' });
      const after = await waitForPod(
        h.client,
        'keeper',
        (x) => x.status?.phase === 'Running',
        'Running',
      );
      expect(after.status!.containerStatuses![0]!).toMatchObject({
        containerID: id,
        restartCount: 0,
      });
      const mine = (await runtime.listContainers()).filter(
        (c) => c.labels['bosun.dev/pod-name'] === 'keeper',
      );
      expect(mine.map((c) => [`bosun://${c.id}`, c.state])).toEqual([[id, 'running']]);
      await deletePod(h.client, 'keeper');
      await waitFor(
        async () =>
          h.client.get(PODS, 'keeper').then(
            () => false,
            () => true,
          ),
        {
          what: 'deleted',
          timeoutMs: 30_000,
        },
      );
    });
  });
}
