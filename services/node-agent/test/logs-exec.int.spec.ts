import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ContainerState, type ContainerRuntime } from '@bosun/runtime';
// The api-server's node proxy (kubectl logs/exec) against this node agent's real gRPC server: it
// lives with the node agent, whose tests may use the api-server's testing entry point (the other
// way round would make the two services depend on each other).
import {
  kubectlAvailable,
  KUBECTL,
  startTestApiServer,
  type TestApiServer,
} from '@bosun/api-server-service/testing';
import { startNodeAgentGrpc, type RunningNodeAgentGrpc } from '../src/grpc/node-agent-grpc';
import { PodLabel } from '../src/pods/labels';
import { RUNTIME_VARIANTS, type RuntimeEnv, type RuntimeVariant } from './runtime-variants';

for (const variant of RUNTIME_VARIANTS) {
  const why = kubectlAvailable() ? variant.unavailable : `${KUBECTL} is missing`;
  if (why)
    it(`SKIPPED: kubectl logs/exec end to end on the ${variant.name} — ${why}`, () => undefined);
  else describeVariant(variant);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function describeVariant(variant: RuntimeVariant): void {
  describe(`kubectl logs and exec through the api-server to a node agent (integration: Postgres, kubectl, ${variant.name})`, () => {
    let api: TestApiServer;
    let env: RuntimeEnv;
    let runtime: ContainerRuntime;
    let agent: RunningNodeAgentGrpc;
    const uids = new Map<string, string>();

    const run = (args: string[], stdin?: string): Promise<Run> =>
      new Promise((resolve, reject) => {
        const child = spawn(KUBECTL, args, {
          env: { ...process.env, KUBECONFIG: api.kubeconfigPath, HOME: api.home },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin ?? '');
      });

    const post = async (path: string, body: unknown, method = 'POST') => {
      const r = await api.request(path, {
        method,
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return JSON.parse(r.body) as { metadata: { uid: string } };
    };

    const pod = (name: string, containers: string[], nodeName?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        containers: containers.map((c) => ({ name: c, image: 'busybox' })),
      },
    });

    async function startContainer(podName: string, container: string, script: string, attempt = 0) {
      const uid = uids.get(podName) ?? '';
      const sb = await runtime.runPodSandbox({ name: podName, namespace: 'default', uid });
      const id = await runtime.createContainer(sb.id, {
        name: container,
        image: env.image,
        command: ['sh', '-c', script],
        labels: {
          [PodLabel.Uid]: uid,
          [PodLabel.Name]: podName,
          [PodLabel.Namespace]: 'default',
          [PodLabel.Container]: container,
          [PodLabel.Attempt]: String(attempt),
        },
      });
      await runtime.startContainer(id);
      return id;
    }

    async function waitForLog(pod: string, text: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while ((await run(['logs', pod])).stdout !== text) {
        if (Date.now() > deadline) throw new Error(`${pod} never logged ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    beforeAll(async () => {
      api = await startTestApiServer();
      const log = pino({ level: 'silent' });
      env = await variant.make();
      runtime = env.runtime;
      // The agent accepts only its node's own token, which the api-server reads from this Secret.
      const nodeToken = randomBytes(32).toString('base64url');
      await post('/api/v1/namespaces/kube-system/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'node-token-n1' },
        type: 'bosun.dev/node-token',
        stringData: { 'node-name': 'n1', token: nodeToken },
      });
      agent = await startNodeAgentGrpc({
        nodeName: 'n1',
        runtime,
        podLookup: (ns, name) => (ns === 'default' ? uids.get(name) : undefined),
        token: nodeToken,
        log,
        port: 0,
        host: '127.0.0.1',
        addresses: ['127.0.0.1'],
        followPollMs: 50,
      });
      const fields = agent.nodeFields();
      const node = await post('/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1', annotations: fields.annotations },
      });
      await post(
        '/api/v1/nodes/n1/status',
        {
          ...node,
          status: {
            addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
            daemonEndpoints: { kubeletEndpoint: { Port: fields.kubeletPort } },
          },
        },
        'PUT',
      );
      for (const [name, containers, nodeName] of [
        ['web', ['main'], 'n1'],
        ['duo', ['a', 'b'], 'n1'],
        ['pending', ['main'], undefined],
        ['again', ['main'], 'n1'],
      ] as const) {
        const created = await post(
          '/api/v1/namespaces/default/pods',
          pod(name, [...containers], nodeName),
        );
        uids.set(name, created.metadata.uid);
      }
      const id = await startContainer(
        'web',
        'main',
        'echo alpha; echo beta; echo gamma; exec sleep 600',
      );
      const first = await startContainer('again', 'main', 'echo first-run');
      while ((await runtime.containerStatus(first)).state !== ContainerState.Exited)
        await new Promise((r) => setTimeout(r, 50));
      await startContainer('again', 'main', 'echo second-run; exec sleep 600', 1);
      const deadline = Date.now() + 10_000;
      // Wait until the container wrote its three lines (its log is read by the node agent).
      while ((await run(['logs', 'web'])).stdout !== 'alpha\nbeta\ngamma\n') {
        if (Date.now() > deadline) throw new Error('web never logged its lines');
        expect((await runtime.containerStatus(id)).state).toBe(ContainerState.Running);
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 60_000);

    afterAll(async () => {
      await agent?.stop();
      await env?.cleanup();
      await api?.stop();
    }, 60_000);

    it('kubectl logs prints the container log; --tail=1 the last line', async () => {
      expect(await run(['logs', 'web'])).toMatchObject({ code: 0, stdout: 'alpha\nbeta\ngamma\n' });
      expect(await run(['logs', 'web', '--tail=1'])).toMatchObject({ code: 0, stdout: 'gamma\n' });
    });

    it('kubectl logs --previous, --since and --limit-bytes', async () => {
      expect(await run(['logs', 'again', '--previous'])).toMatchObject({
        code: 0,
        stdout: 'first-run\n',
      });
      await waitForLog('again', 'second-run\n');
      expect(await run(['logs', 'web', '--since=1h'])).toMatchObject({
        stdout: 'alpha\nbeta\ngamma\n',
      });
      expect(await run(['logs', 'web', '--limit-bytes=3'])).toMatchObject({ stdout: 'alp' });
      expect(await run(['logs', 'web', '--since-time=2000-01-01T00:00:00Z'])).toMatchObject({
        stdout: 'alpha\nbeta\ngamma\n',
      });
      expect(await run(['logs', 'web', '--since-time=2100-01-01T00:00:00Z'])).toMatchObject({
        code: 0,
        stdout: '',
      });
      const none = await run(['logs', 'web', '--previous']);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('previous terminated container "main" in pod "web" not found');
    });

    it('kubectl logs --timestamps prefixes each line with its RFC 3339 time', async () => {
      const r = await run(['logs', 'web', '--timestamps']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['alpha', 'beta', 'gamma']);
      for (const l of lines) expect(Number.isNaN(Date.parse(l.split(' ')[0]))).toBe(false);
    });

    it('kubectl logs -f streams until interrupted', async () => {
      const child = spawn(KUBECTL, ['logs', '-f', 'web'], {
        env: { ...process.env, KUBECONFIG: api.kubeconfigPath, HOME: api.home },
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('gamma\n')) resolve();
        });
        child.on('close', () => reject(new Error(`kubectl logs -f ended early: ${out}`)));
      });
      // Still streaming (follow): the process is alive until killed.
      expect(child.exitCode).toBeNull();
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGINT');
      await closed;
      expect(out).toBe('alpha\nbeta\ngamma\n');
    });

    it('-c with an unknown container, and a multi-container pod without -c, are errors', async () => {
      const bad = await run(['logs', 'web', '-c', 'nope']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('container nope is not valid for pod web');
      const r = await api.request('/api/v1/namespaces/default/pods/duo/log');
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).message).toBe(
        'a container name must be specified for pod duo, choose one of: [a b]',
      );
    });

    it('a node without a node credential is never sent the admin token: logs answer 503', async () => {
      // An agent that would accept the administrator's token, published as node n2 (any node may
      // write a Node's address and certificate): the api-server must not present that token.
      const greedy = await startNodeAgentGrpc({
        nodeName: 'n2',
        runtime,
        podLookup: (ns, name) => (ns === 'default' ? uids.get(name) : undefined),
        token: api.token,
        log: pino({ level: 'silent' }),
        port: 0,
        host: '127.0.0.1',
        addresses: ['127.0.0.1'],
        followPollMs: 50,
      });
      try {
        const fields = greedy.nodeFields();
        const node = await post('/api/v1/nodes', {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'n2', annotations: fields.annotations },
        });
        await post(
          '/api/v1/nodes/n2/status',
          {
            ...node,
            status: {
              addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
              daemonEndpoints: { kubeletEndpoint: { Port: fields.kubeletPort } },
            },
          },
          'PUT',
        );
        const created = await post('/api/v1/namespaces/default/pods', pod('lured', ['main'], 'n2'));
        uids.set('lured', created.metadata.uid);
        await startContainer('lured', 'main', 'echo secret-output; exec sleep 600');
        const r = await run(['logs', 'lured']);
        expect(r.code).not.toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain('node "n2" has no node credential');
      } finally {
        await greedy.stop();
      }
    });

    it('a pod not bound to a node answers 400', async () => {
      const r = await api.request('/api/v1/namespaces/default/pods/pending/log');
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).message).toBe('pod pending does not have a host assigned');
    });

    it("kubectl exec prints the command's output and exits with its code", async () => {
      const r = await run(['exec', 'web', '--', 'sh', '-c', 'echo hi; echo err >&2; exit 3']);
      expect(r.stdout).toBe('hi\n');
      expect(r.stderr).toContain('err\n');
      expect(r.code).toBe(3);
      expect(await run(['exec', 'web', '--', 'true'])).toMatchObject({ code: 0, stdout: '' });
    });

    it('kubectl exec -i relays stdin until it closes', async () => {
      const r = await run(['exec', '-i', 'web', '--', 'cat'], 'some input\nmore\n');
      expect(r).toMatchObject({ code: 0, stdout: 'some input\nmore\n' });
    });

    it('kubectl exec -it runs the command on a terminal (kubectl itself under `script` for a tty)', async () => {
      const cmd = `KUBECONFIG=${api.kubeconfigPath} HOME=${api.home} ${KUBECTL} exec -it web -- sh -c 'test -t 1 && echo on-a-tty'`;
      const r = await new Promise<Run>((resolve, reject) => {
        const child = spawn('/usr/bin/script', ['-qec', cmd, '/dev/null']);
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
        child.stdin.end();
      });
      expect(r.stdout).toContain('on-a-tty');
      expect(r.code).toBe(0);
    });

    it('exec without a WebSocket upgrade is a 400', async () => {
      const r = await api.request(
        '/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true',
        {
          method: 'POST',
        },
      );
      expect(r.status).toBe(400);
    });
  });
}
