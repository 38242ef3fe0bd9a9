import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '@bosun/api-client';
import type { Node } from '@bosun/api-types';
import { ImageStore, buildTestImage, loadImageDirectory, testToolPath } from '@bosun/image';
import { waitFor } from '@bosun/testing';
import pino from 'pino';
import { parseEvictionThresholds } from '../src/disk/eviction-thresholds';
import type { NodeAgentOptions } from '../src/node-agent';
import type { Pod } from '../src/pods/pod-types';
import {
  CONFIGMAPS,
  EVENTS,
  PODS,
  deletePod,
  eventReasons,
  pod,
  startHarness,
  waitForPod,
  type AgentHarness,
} from './agent-harness';

const run = promisify(execFile);
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const MiB = 2 ** 20;
const IMAGE = 'test.local/disk:1';
const OTHER_IMAGE = 'test.local/other:1';

const unavailable =
  process.getuid?.() !== 0
    ? 'not root (a tmpfs with size= must be mounted as the agent root)'
    : !testToolPath('busybox')
      ? 'busybox-static missing (apt-get install busybox-static)'
      : undefined;
if (unavailable) console.warn(`SKIPPED disk pressure tests: ${unavailable}`);
const describeRoot = unavailable ? describe.skip : describe;

/** A 32 MiB tmpfs as the agent root, with the test images in the agent's own store (not unpacked). */
async function smallDisk(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bosun-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', root]);
  const work = await mkdtemp(join(tmpdir(), 'bosun-disk-layouts-'));
  try {
    const store = await ImageStore.open(join(root, 'images'));
    await buildTestImage(join(work, 'a'), { tag: '1' });
    await loadImageDirectory(store, join(work, 'a'), { name: 'test.local/disk' });
    await buildTestImage(join(work, 'b'), { tag: '1', files: { other: 'other' } });
    await loadImageDirectory(store, join(work, 'b'), { name: 'test.local/other' });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return root;
}

async function available(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

/** Writes `bytes` of zeros to `path` (stops quietly at ENOSPC when `untilFull`). */
async function ballast(path: string, bytes: number, untilFull = false): Promise<void> {
  const fh = await open(path, 'a');
  try {
    for (const size of untilFull ? [MiB, 4096] : [MiB]) {
      const chunk = Buffer.alloc(size);
      for (let left = untilFull ? Infinity : bytes; left > 0; left -= size) {
        try {
          await fh.write(chunk, 0, Math.min(size, left));
        } catch (e) {
          if (untilFull && (e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function node(h: AgentHarness, name: string): Promise<Node> {
  return h.client.get<Node>(NODES, name);
}
const condition = (n: Node, type: string) => n.status?.conditions?.find((c) => c.type === type);
const tainted = (n: Node) =>
  (n.spec?.taints ?? []).some(
    (t) => t.key === 'node.kubernetes.io/disk-pressure' && t.effect === 'NoSchedule',
  );

async function startOn(h: AgentHarness, root: string, extra: Partial<NodeAgentOptions>) {
  return h.startAgent({
    root,
    runtimeName: 'process',
    resyncMs: 200,
    statusUpdateMs: 500,
    evictionMonitorMs: 200,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    ...extra,
  });
}

async function cleanup(h: AgentHarness | undefined, root: string | undefined, pods: string[]) {
  for (const p of pods) await deletePod(h!.client, p).catch(() => undefined);
  if (h) {
    await waitFor(async () => (await h.client.list(PODS)).items.length === 0, {
      timeoutMs: 30_000,
      what: 'the pods to be gone',
    }).catch(() => undefined);
    await h.stop();
  }
  if (root) {
    await run('umount', ['-l', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

describeRoot(
  'disk pressure on a full node disk (integration: root, tmpfs, Postgres, process runtime)',
  () => {
    jest.setTimeout(180_000);
    let h: AgentHarness;
    let root: string;

    beforeAll(async () => {
      h = await startHarness();
      root = await smallDisk();
      await startOn(h, root, {
        nodeName: 'disk-node',
        evictionHard: parseEvictionThresholds('nodefs.available<25%'),
        evictionPressureTransitionMs: 3000,
      });
    }, 60_000);
    afterAll(() => cleanup(h, root, ['steady', 'hog']));

    it('sets DiskPressure and the taint, evicts the pod that uses the disk, keeps the others, and recovers', async () => {
      await h.client.create(
        PODS,
        pod(
          'steady',
          {
            containers: [
              {
                name: 'main',
                image: IMAGE,
                imagePullPolicy: 'Never',
                command: ['sh', '-c', 'sleep 1000'],
                resources: { requests: { 'ephemeral-storage': '2Mi' } },
              },
            ],
          },
          'disk-node',
        ),
      );
      // The hog writes 12 MiB into its emptyDir (on the host path: the process runtime mounts nothing).
      await h.client.create(
        PODS,
        pod(
          'hog',
          {
            volumes: [{ name: 'data', emptyDir: {} }],
            containers: [
              {
                name: 'main',
                image: IMAGE,
                imagePullPolicy: 'Never',
                env: [{ name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }],
                command: [
                  'sh',
                  '-c',
                  `dd if=/dev/zero of="${root}/pods/$POD_UID/volumes/data/fill" bs=1M count=12 2>/dev/null; sleep 1000`,
                ],
              },
            ],
          },
          'disk-node',
        ),
      );
      await waitForPod(h.client, 'steady', (p) => p.status?.phase === 'Running', 'Running', 60_000);
      const hog = await waitForPod(
        h.client,
        'hog',
        (p) => p.status?.phase === 'Running',
        'Running',
        60_000,
      );
      const fill = join(root, 'pods', hog.metadata.uid!, 'volumes', 'data', 'fill');
      await waitFor(async () => (await stat(fill).catch(() => undefined))?.size === 12 * MiB, {
        timeoutMs: 30_000,
        what: 'the hog to write 12 MiB',
      });
      expect(condition(await node(h, 'disk-node'), 'DiskPressure')?.status).toBe('False');

      // The test fills the disk until 4 MiB are left: below the 8 MiB (25%) threshold.
      await ballast(join(root, 'ballast'), (await available(root)) - 4 * MiB);

      const pressured = await waitFor(
        async () => {
          const n = await node(h, 'disk-node');
          return condition(n, 'DiskPressure')?.status === 'True' && tainted(n) ? n : undefined;
        },
        { timeoutMs: 30_000, what: 'DiskPressure True and the disk-pressure taint' },
      );
      expect(condition(pressured, 'DiskPressure')).toMatchObject({
        reason: 'KubeletHasDiskPressure',
        message: 'kubelet has disk pressure',
      });

      const evicted = await waitForPod(
        h.client,
        'hog',
        (p) => p.status?.phase === 'Failed',
        'evicted',
        30_000,
      );
      expect(evicted.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
      expect(evicted.status?.message).toMatch(
        /^The node was low on resource: ephemeral-storage\. Threshold quantity: \d+Ki, available: \d+Ki\. Pod hog was using \d+Ki, request is 0Ki/,
      );
      expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        status: 'True',
        reason: 'TerminationByKubelet',
      });
      expect(evicted.status?.containerStatuses?.[0]?.state.terminated).toMatchObject({
        exitCode: 137,
      });
      expect(await eventReasons(h.client, 'hog')).toContain('Evicted');
      const nodeEvents = (await h.client.list<KubeObject>(EVENTS)).items
        .filter((e) => (e.involvedObject as { kind?: string; name?: string }).name === 'disk-node')
        .map((e) => String(e.reason));
      expect(nodeEvents).toEqual(
        expect.arrayContaining(['EvictionThresholdMet', 'NodeHasDiskPressure']),
      );
      // Its volume (the 12 MiB) is gone with it.
      await expect(stat(fill)).rejects.toMatchObject({ code: 'ENOENT' });

      // Space is back above the threshold: after the transition period the condition and taint go.
      const recovered = await waitFor(
        async () => {
          const n = await node(h, 'disk-node');
          return condition(n, 'DiskPressure')?.status === 'False' && !tainted(n) ? n : undefined;
        },
        { timeoutMs: 30_000, what: 'DiskPressure False and no taint' },
      );
      expect(condition(recovered, 'DiskPressure')?.reason).toBe('KubeletHasNoDiskPressure');

      // The other pod was never touched.
      const steady = await h.client.get<Pod>(PODS, 'steady');
      expect(steady.status?.phase).toBe('Running');
      expect(steady.status?.containerStatuses?.[0]?.restartCount).toBe(0);
      expect(await eventReasons(h.client, 'steady')).not.toContain('Evicted');

      await rm(join(root, 'ballast'));
      expect((await h.client.get<Pod>(PODS, 'steady')).status?.phase).toBe('Running');
    });
  },
);

describeRoot(
  'writes that fail with ENOSPC (integration: root, tmpfs, Postgres, process runtime)',
  () => {
    jest.setTimeout(180_000);
    let h: AgentHarness;
    let root: string;

    beforeAll(async () => {
      h = await startHarness();
      root = await smallDisk();
      // Eviction off: this suite is about the writes themselves.
      await startOn(h, root, { nodeName: 'full-node', evictionHard: [] });
    }, 60_000);
    afterAll(() => cleanup(h, root, ['chatty', 'unpack', 'cm-vol']));

    it('gives ErrImagePull / CreateContainerError with the ENOSPC message, keeps the other pods, and recovers once space is freed', async () => {
      const spec = (name: string, image: string, extra: Partial<Pod['spec']> = {}) =>
        pod(
          name,
          {
            containers: [
              {
                name: 'main',
                image,
                imagePullPolicy: 'Never',
                command: ['sh', '-c', 'while true; do echo line; sleep 0.05; done'],
                ...(extra.volumes ? { volumeMounts: [{ name: 'cm', mountPath: '/cm' }] } : {}),
              },
            ],
            ...extra,
          },
          'full-node',
        );
      await h.client.create(PODS, spec('chatty', IMAGE));
      await waitForPod(h.client, 'chatty', (p) => p.status?.phase === 'Running', 'Running', 60_000);

      await ballast(join(root, 'ballast'), 0, true);
      await h.client.create(CONFIGMAPS, {
        metadata: { name: 'cm' },
        data: { big: 'x'.repeat(64 * 1024) },
      });
      await h.client.create(PODS, spec('unpack', OTHER_IMAGE));
      await h.client.create(
        PODS,
        spec('cm-vol', IMAGE, { volumes: [{ name: 'cm', configMap: { name: 'cm' } }] }),
      );

      const waiting = (reason: string) => (p: Pod) =>
        p.status?.containerStatuses?.[0]?.state.waiting?.reason === reason;
      const unpack = await waitForPod(
        h.client,
        'unpack',
        waiting('ErrImagePull'),
        'ErrImagePull',
        30_000,
      );
      expect(unpack.status?.containerStatuses?.[0]?.state.waiting?.message).toMatch(
        /^failed to pull and unpack image "test\.local\/other:1": .*no space left on device/i,
      );
      const cm = await waitForPod(
        h.client,
        'cm-vol',
        waiting('CreateContainerError'),
        'CreateContainerError',
        30_000,
      );
      expect(cm.status?.containerStatuses?.[0]?.state.waiting?.message).toMatch(
        /no space left on device/i,
      );
      expect(await eventReasons(h.client, 'cm-vol')).toContain('Failed');

      // The chatty pod's log writes fail too; the agent keeps running it and serving the others.
      const chatty = await h.client.get<Pod>(PODS, 'chatty');
      expect(chatty.status?.phase).toBe('Running');
      expect(chatty.status?.containerStatuses?.[0]?.restartCount).toBe(0);

      await rm(join(root, 'ballast'));
      await waitForPod(
        h.client,
        'cm-vol',
        (p) => p.status?.phase === 'Running',
        'Running after space was freed',
        60_000,
      );
      await waitForPod(
        h.client,
        'unpack',
        (p) => p.status?.phase === 'Running',
        'Running after space was freed',
        60_000,
      );
      expect((await h.client.get<Pod>(PODS, 'chatty')).status?.phase).toBe('Running');
    });
  },
);
