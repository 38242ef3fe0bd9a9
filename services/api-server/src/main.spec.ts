import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type ServiceHandle } from '@bosun/service-host';
import { createTestSchema, type TestSchema } from '@bosun/testing';
import { KubeApiService } from './kube-api.service';
import { apiServer } from './main';

describe('api-server service (integration: Postgres)', () => {
  let svc: ServiceHandle;
  let schema: TestSchema;
  let home: string;

  beforeAll(async () => {
    schema = await createTestSchema('main');
    home = await mkdtemp(join(tmpdir(), 'bosun-main-'));
    svc = createService({
      ...apiServer,
      env: {
        API_SERVER_HTTP_PORT: '0',
        API_SERVER_HTTP_HOST: '127.0.0.1',
        API_SERVER_PORT: '0',
        API_SERVER_GRPC_PORT: '0',
        BOSUN_HOME: home,
        DATABASE_URL: schema.url,
        DATABASE_SCHEMA: schema.schema,
        LOG_LEVEL: 'silent',
      },
    });
    await svc.start();
    await svc.ready();
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    await schema?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('reports healthy on /healthz, /readyz and /livez, and says it is partial', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      expect((await fetch(`${svc.url()}${path}`)).status).toBe(200);
    }
    const status = (await (await fetch(`${svc.url()}/status`)).json()) as {
      status: { summary: string };
    };
    expect(status.status.summary).toMatch(/no server-side apply/);
  });

  it('serves the Kubernetes API over HTTPS with the kubeconfig it wrote', async () => {
    const api = svc.app().get(KubeApiService).api!;
    expect(api.kubeconfigPath).toBe(join(home, 'kubeconfig'));
    const { request } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      request(
        `${api.url}/api/v1/namespaces/default`,
        { ca: api.caCertPem, headers: { Authorization: `Bearer ${api.token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const metrics = await (await fetch(`${svc.url()}/metrics`)).text();
    expect(metrics).toMatch(
      /apiserver_request_total\{[^}]*verb="get"[^}]*resource="namespaces"[^}]*code="200"/,
    );
  });
});
