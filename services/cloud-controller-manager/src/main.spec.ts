import { createService, type ServiceHandle } from '@bosun/service-host';
import { cloudControllerManager } from './main';

describe('cloud-controller-manager skeleton', () => {
  let svc: ServiceHandle;

  beforeAll(async () => {
    svc = createService({
      ...cloudControllerManager,
      env: {
        CLOUD_CONTROLLER_MANAGER_HTTP_PORT: '0',
        CLOUD_CONTROLLER_MANAGER_HTTP_HOST: '127.0.0.1',
      },
    });
    await svc.start();
    await svc.ready();
  });
  afterAll(() => svc.stop());

  it('boots and reports healthy on /healthz, /readyz and /livez', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      expect((await fetch(`${svc.url()}${path}`)).status).toBe(200);
    }
  });

  it('says on /readyz and /status that it is a skeleton, not a working cloud-controller-manager', async () => {
    const ready = (await (await fetch(`${svc.url()}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ service: 'cloud-controller-manager', phase: 'skeleton' });
    const status = (await (await fetch(`${svc.url()}/status`)).json()) as {
      status: { summary: string };
    };
    expect(status.status.summary).toMatch(/^skeleton only/);
  });
});
