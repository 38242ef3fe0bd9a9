import { createService, type ServiceHandle } from '@bosun/service-host';
import { scheduler } from './main';

describe('scheduler skeleton', () => {
  let svc: ServiceHandle;

  beforeAll(async () => {
    svc = createService({
      ...scheduler,
      env: { SCHEDULER_HTTP_PORT: '0', SCHEDULER_HTTP_HOST: '127.0.0.1' },
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

  it('says on /readyz and /status that it is a skeleton, not a working scheduler', async () => {
    const ready = (await (await fetch(`${svc.url()}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ service: 'scheduler', phase: 'skeleton' });
    const status = (await (await fetch(`${svc.url()}/status`)).json()) as {
      status: { summary: string };
    };
    expect(status.status.summary).toMatch(/^skeleton only/);
  });
});
