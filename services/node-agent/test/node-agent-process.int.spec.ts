import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@bosun/common';
import { ProcessRuntime, readCriLog } from '@bosun/runtime';
import { waitFor } from '@bosun/testing';
import {
  CONFIGMAPS,
  PODS,
  deletePod,
  nodeServingToken,
  pod,
  startHarness,
  waitForPod,
  type AgentHarness,
} from './agent-harness';
import { TEST_IMAGE, testImageProvider } from './runc-fixture';

describe('node agent with the process runtime (integration: host processes, Postgres)', () => {
  jest.setTimeout(60_000);
  let h: AgentHarness;
  let dir: string;
  let runtime: ProcessRuntime;

  beforeAll(async () => {
    h = await startHarness();
    dir = await mkdtemp(join(tmpdir(), 'bosun-agent-proc-'));
    runtime = new ProcessRuntime({
      root: join(dir, 'state'),
      logger: createLogger('proc', 'silent'),
    });
    await h.startAgent({
      nodeName: 'proc-node',
      runtime,
      images: await testImageProvider(dir),
      resyncMs: 200,
      // Serves NodeAgentService, so kubectl logs/exec reach this agent through the api-server.
      serve: { token: nodeServingToken(), port: 0, host: '127.0.0.1' },
      facts: { internalIP: '127.0.0.1' },
    });
  }, 60_000);
  afterAll(async () => {
    try {
      await h?.stop();
    } finally {
      await runtime?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a pod as a host process with its env, serves kubectl logs and exec, and stops it on delete', async () => {
    await h.client.create(CONFIGMAPS, { metadata: { name: 'proc-cm' }, data: { greeting: 'hi' } });
    await h.client.create(
      PODS,
      pod(
        'proc',
        {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'main',
              image: TEST_IMAGE,
              command: ['sh', '-c', 'echo "say $GREETING"; sleep 1000'],
              env: [
                {
                  name: 'GREETING',
                  valueFrom: { configMapKeyRef: { name: 'proc-cm', key: 'greeting' } },
                },
              ],
            },
          ],
        },
        'proc-node',
      ),
    );
    const p = await waitForPod(
      h.client,
      'proc',
      (x) => x.status?.phase === 'Running',
      'Running',
      30_000,
    );
    const id = p.status!.containerStatuses![0]!.containerID!.replace('bosun://', '');
    const log = await waitFor(
      async () => {
        const lines = (await readCriLog((await runtime.containerStatus(id)).logPath)).map(
          (e) => e.line,
        );
        return lines.includes('say hi') ? lines : undefined;
      },
      { what: 'the log line' },
    );
    expect(log).toContain('say hi');

    // The same container through the api-server with the real kubectl: logs and exec.
    expect(await h.api.kubectl(['logs', 'proc'])).toBe('say hi\n');
    expect(await h.api.kubectl(['exec', 'proc', '--', 'sh', '-c', 'echo "in $GREETING"'])).toBe(
      'in hi\n',
    );
    await deletePod(h.client, 'proc');
    await waitFor(
      async () =>
        h.client.get(PODS, 'proc').then(
          () => false,
          () => true,
        ),
      {
        what: 'the pod to be deleted',
        timeoutMs: 30_000,
      },
    );
    expect(await runtime.listPodSandboxes()).toEqual([]);
  });
});
