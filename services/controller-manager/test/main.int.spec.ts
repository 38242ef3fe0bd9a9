import pino from 'pino';
import { createService, type ServiceHandle } from '@bosun/service-host';
import { startTestApiServer, type TestApiServer } from './api-server';
import { controllerManager } from '../src/main';

describe('controller-manager service (integration: real api-server, Postgres)', () => {
  let api: TestApiServer;
  let svc: ServiceHandle;

  beforeAll(async () => {
    api = await startTestApiServer();
    svc = createService({
      ...controllerManager,
      logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      env: {
        CONTROLLER_MANAGER_HTTP_PORT: '0',
        CONTROLLER_MANAGER_HTTP_HOST: '127.0.0.1',
        CONTROLLER_MANAGER_KUBECONFIG: api.kubeconfigPath,
      },
    });
    await svc.start();
    await svc.ready();
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    await api?.stop();
  });

  it('boots and reports healthy on /healthz, /readyz and /livez', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      expect((await fetch(`${svc.url()}${path}`)).status).toBe(200);
    }
  });

  it('takes the kube-system/bosun-controller-manager Lease', async () => {
    let holder = '';
    for (let i = 0; i < 100 && holder === ''; i++) {
      const res = await api.request(
        '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/bosun-controller-manager',
      );
      if (res.status === 200) {
        holder = String(
          (JSON.parse(res.body) as { spec: { holderIdentity?: string } }).spec.holderIdentity ?? '',
        );
      }
      if (holder === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(holder).not.toBe('');
  });
});

describe('controller-manager service start-up', () => {
  it('refuses to start without a readable kubeconfig and names the variable', async () => {
    const svc = createService({
      ...controllerManager,
      logger: pino({ level: 'silent' }),
      env: {
        CONTROLLER_MANAGER_HTTP_PORT: '0',
        CONTROLLER_MANAGER_HTTP_HOST: '127.0.0.1',
        CONTROLLER_MANAGER_KUBECONFIG: '/nonexistent/kubeconfig',
      },
    });
    await expect(svc.start()).rejects.toThrow(
      /CONTROLLER_MANAGER_KUBECONFIG=\/nonexistent\/kubeconfig/,
    );
    await svc.stop();
  });

  it('refuses a cluster CIDR that is not one, and a mask size that does not fit it', async () => {
    const env = (extra: Record<string, string>) => ({
      CONTROLLER_MANAGER_HTTP_PORT: '0',
      CONTROLLER_MANAGER_HTTP_HOST: '127.0.0.1',
      CONTROLLER_MANAGER_KUBECONFIG: '/nonexistent/kubeconfig',
      ...extra,
    });
    const logger = pino({ level: 'silent' });
    expect(() =>
      createService({
        ...controllerManager,
        logger,
        env: env({ CONTROLLER_MANAGER_CLUSTER_CIDR: '10.244.0.0' }),
      }),
    ).toThrow(/CONTROLLER_MANAGER_CLUSTER_CIDR="10.244.0.0" is not valid: expected a CIDR/);
    const svc = createService({
      ...controllerManager,
      logger,
      env: env({ CONTROLLER_MANAGER_NODE_CIDR_MASK_SIZE: '8' }),
    });
    await expect(svc.start()).rejects.toThrow(
      /CONTROLLER_MANAGER_CLUSTER_CIDR=10.244.0.0\/16 with CONTROLLER_MANAGER_NODE_CIDR_MASK_SIZE=8 is not valid/,
    );
    await svc.stop();
  });
});
