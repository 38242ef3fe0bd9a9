import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { createService, type ServiceHandle } from '@bosun/service-host';
import pino from 'pino';
import { startTestApiServer, type TestApiServer } from '@bosun/api-server-service/testing';
import { nodeAgent } from './main';

describe('node-agent service (integration: Postgres, api-server in process)', () => {
  let api: TestApiServer;
  let svc: ServiceHandle;
  let root: string;

  beforeAll(async () => {
    api = await startTestApiServer();
    root = await mkdtemp(join(tmpdir(), 'bosun-agent-svc-'));
    const conn = await loadKubeconfig(api.kubeconfigPath);
    // Joins with a server URL and a token (as with a bootstrap token), not a kubeconfig.
    const caFile = join(root, 'ca.pem');
    await writeFile(caFile, conn.caPem ?? '');
    svc = createService({
      ...nodeAgent,
      logger: pino({ level: 'silent' }),
      env: {
        NODE_AGENT_HTTP_PORT: '0',
        NODE_AGENT_HTTP_HOST: '127.0.0.1',
        NODE_NAME: 'svc-node',
        NODE_AGENT_ROOT: root,
        NODE_AGENT_RUNTIME: 'fake',
        NODE_AGENT_API_SERVER: conn.server,
        NODE_AGENT_BOOTSTRAP_TOKEN: conn.token ?? '',
        NODE_AGENT_CA_FILE: caFile,
        NODE_AGENT_GRPC_PORT: '0',
      },
    });
    await svc.start();
    await svc.ready();
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    await api?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('boots and reports healthy on /healthz, /readyz and /livez', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      expect((await fetch(`${svc.url()}${path}`)).status).toBe(200);
    }
  });

  it('says on /status that it is partial, and names what is missing', async () => {
    const status = (await (await fetch(`${svc.url()}/status`)).json()) as {
      status: { phase: string; summary: string };
    };
    expect(status.status.phase).toBe('partial');
    expect(status.status.summary).toMatch(/serves kubectl logs\/exec/);
    expect(status.status.summary).toMatch(/no postStart/);
  });

  it('registered its Node and keeps the join credentials in a 0600 kubeconfig', async () => {
    const client = new ApiClient(await loadKubeconfig(join(root, 'kubeconfig')));
    try {
      const node = await client.get({ group: '', version: 'v1', resource: 'nodes' }, 'svc-node');
      expect(node.metadata.name).toBe('svc-node');
      expect(node.spec).toMatchObject({ podCIDR: '10.244.0.0/24' }); // NODE_AGENT_POD_CIDR default
      // It publishes where and how the api-server reaches its NodeAgentService (logs/exec).
      const annotations = (node.metadata.annotations ?? {}) as Record<string, string>;
      expect(annotations['bosun.dev/node-agent-serving-cert']).toMatch(/BEGIN CERTIFICATE/);
      const port = (node.status as { daemonEndpoints: { kubeletEndpoint: { Port: number } } })
        .daemonEndpoints.kubeletEndpoint.Port;
      expect(port).toBeGreaterThan(0);
      expect(port).not.toBe(10250);
    } finally {
      client.close();
    }
    expect((await stat(join(root, 'kubeconfig'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to start without credentials, naming what to set', async () => {
    const bad = createService({
      ...nodeAgent,
      logger: pino({ level: 'silent' }),
      env: {
        NODE_AGENT_HTTP_PORT: '0',
        NODE_AGENT_ROOT: join(root, 'empty'),
        NODE_AGENT_RUNTIME: 'fake',
      },
    });
    await expect(bad.start()).rejects.toThrow(/NODE_AGENT_KUBECONFIG/);
    await bad.stop().catch(() => undefined);
  });
});
