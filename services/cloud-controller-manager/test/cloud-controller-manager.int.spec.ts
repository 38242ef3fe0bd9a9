import pino from 'pino';
import { createService, type ServiceHandle } from '@bosun/service-host';
import { waitFor } from '@bosun/testing';
import { kubectlAvailable, startTestApiServer, type TestApiServer } from './api-server';
import { cloudControllerManager } from '../src/main';

// A pool no other suite uses, small enough that addresses are predictable.
const POOL = '172.31.254.0/29';
const FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

const lbService = (name: string): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] },
  });

jest.setTimeout(60_000);

const suite = kubectlAvailable() ? describe : describe.skip;
if (!kubectlAvailable()) console.warn('SKIPPED: /usr/bin/kubectl is missing');

suite('cloud-controller-manager (integration: real api-server, Postgres, kubectl)', () => {
  let api: TestApiServer;
  let ccm: ServiceHandle | undefined;

  const ownKubeconfig = (): string => {
    const path = api.componentKubeconfigs['system:cloud-controller-manager'];
    if (!path) throw new Error('the api-server wrote no cloud-controller-manager kubeconfig');
    return path;
  };

  const startCcm = async (): Promise<ServiceHandle> => {
    const svc = createService({
      ...cloudControllerManager,
      logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      env: {
        CLOUD_CONTROLLER_MANAGER_HTTP_PORT: '0',
        CLOUD_CONTROLLER_MANAGER_HTTP_HOST: '127.0.0.1',
        // Its own identity, as in production: writes are recorded as this user's.
        CLOUD_CONTROLLER_MANAGER_KUBECONFIG: ownKubeconfig(),
        CLOUD_CONTROLLER_MANAGER_LB_POOL: POOL,
        CLOUD_CONTROLLER_MANAGER_REGION: 'test-region',
        CLOUD_CONTROLLER_MANAGER_ZONE: 'test-zone',
      },
    });
    await svc.start();
    await svc.ready();
    return svc;
  };

  const ingressIp = async (name: string): Promise<string> =>
    (
      await api.kubectl([
        'get',
        'service',
        name,
        '-o',
        'jsonpath={.status.loadBalancer.ingress[*].ip}',
      ])
    ).trim();

  const waitForIp = (name: string): Promise<string> =>
    waitFor(() => ingressIp(name), { timeoutMs: 20_000, what: `an address for service ${name}` });

  const eventReasons = async (name: string): Promise<string[]> => {
    const out = await api.kubectl([
      'get',
      'events',
      '-n',
      'default',
      '--field-selector',
      `involvedObject.name=${name}`,
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    return out.split(/\s+/).filter(Boolean);
  };

  beforeAll(async () => {
    api = await startTestApiServer();
    ccm = await startCcm();
  }, 60_000);
  afterAll(async () => {
    await ccm?.stop();
    await api?.stop();
  });

  it('reports healthy and takes the kube-system/cloud-controller-manager Lease', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      expect((await fetch(`${ccm!.url()}${path}`)).status).toBe(200);
    }
    const holder = await waitFor(
      async () =>
        (
          await api.kubectl([
            'get',
            'lease',
            '-n',
            'kube-system',
            'cloud-controller-manager',
            '-o',
            'jsonpath={.spec.holderIdentity}',
          ])
        ).trim(),
      { timeoutMs: 20_000, what: 'a lease holder' },
    );
    expect(holder).not.toBe('');
  });

  it('gives a LoadBalancer Service an address from the pool, the cleanup finalizer and events', async () => {
    await api.kubectl(['apply', '-f', '-'], lbService('web'));
    expect(await waitForIp('web')).toBe('172.31.254.1');
    const finalizers = await api.kubectl([
      'get',
      'service',
      'web',
      '-o',
      'jsonpath={.metadata.finalizers}',
    ]);
    expect(JSON.parse(finalizers)).toEqual([FINALIZER]);
    const reasons = await waitFor(
      async () => {
        const r = await eventReasons('web');
        return r.includes('EnsuredLoadBalancer') ? r : undefined;
      },
      { timeoutMs: 20_000, what: 'the EnsuredLoadBalancer event' },
    );
    expect(reasons).toContain('EnsuringLoadBalancer');
    // kubectl shows it as the EXTERNAL-IP.
    expect(await api.kubectl(['get', 'service', 'web'])).toMatch(
      /web\s+LoadBalancer\s+\S+\s+172\.31\.254\.1\s/,
    );
    await api.kubectl(['apply', '-f', '-'], lbService('api'));
    expect(await waitForIp('api')).toBe('172.31.254.2');
  });

  it('after a restart, keeps every recorded address and hands a new Service the next free one', async () => {
    await ccm!.stop();
    ccm = undefined;
    // While it is down a new Service waits; the restarted manager must not give away .1 or .2.
    await api.kubectl(['apply', '-f', '-'], lbService('late'));
    ccm = await startCcm();
    expect(await waitForIp('late')).toBe('172.31.254.3');
    expect(await ingressIp('web')).toBe('172.31.254.1');
    expect(await ingressIp('api')).toBe('172.31.254.2');
  });

  it('on delete, releases the address and removes the finalizer, so the Service goes and its address is reused', async () => {
    // kubectl delete waits until the object is gone, i.e. until the finalizer is removed.
    await api.kubectl(['delete', 'service', 'web', '--timeout=30s']);
    await expect(api.kubectl(['get', 'service', 'web'])).rejects.toThrow(/NotFound/);
    await api.kubectl(['apply', '-f', '-'], lbService('next'));
    expect(await waitForIp('next')).toBe('172.31.254.1');
  });

  it('on a change of type to ClusterIP, clears the address and removes the finalizer', async () => {
    await api.kubectl([
      'patch',
      'service',
      'api',
      '--type=merge',
      '-p',
      '{"spec":{"type":"ClusterIP"}}',
    ]);
    const finalizers = async (): Promise<string[]> => {
      const out = (
        await api.kubectl(['get', 'service', 'api', '-o', 'jsonpath={.metadata.finalizers}'])
      ).trim();
      return out === '' ? [] : (JSON.parse(out) as string[]);
    };
    await waitFor(
      async () => (await ingressIp('api')) === '' && (await finalizers()).length === 0,
      {
        timeoutMs: 20_000,
        what: 'the address and finalizer of api to go',
      },
    );
    expect(await eventReasons('api')).toContain('DeletedLoadBalancer');
  });

  it('initializes a node that registers with the uninitialized taint', async () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'ccm-node-1' },
      spec: {
        taints: [
          {
            key: 'node.cloudprovider.kubernetes.io/uninitialized',
            value: 'true',
            effect: 'NoSchedule',
          },
        ],
      },
    };
    await api.kubectl(['apply', '-f', '-'], JSON.stringify(node));
    const initialized = await waitFor(
      async () => {
        const n = JSON.parse(await api.kubectl(['get', 'node', 'ccm-node-1', '-o', 'json'])) as {
          metadata: { labels?: Record<string, string> };
          spec: { providerID?: string; taints?: Array<{ key: string }> };
        };
        return n.spec.providerID ? n : undefined;
      },
      { timeoutMs: 20_000, what: 'node ccm-node-1 to be initialized' },
    );
    expect(initialized.spec.providerID).toBe('local://ccm-node-1');
    expect(initialized.spec.taints ?? []).toEqual([]);
    expect(initialized.metadata.labels).toMatchObject({
      'node.kubernetes.io/instance-type': 'local',
      'topology.kubernetes.io/region': 'test-region',
      'topology.kubernetes.io/zone': 'test-zone',
    });
  });
});

describe('cloud-controller-manager start-up', () => {
  it('refuses to start without a readable kubeconfig and names the variable', async () => {
    const svc = createService({
      ...cloudControllerManager,
      logger: pino({ level: 'silent' }),
      env: {
        CLOUD_CONTROLLER_MANAGER_HTTP_PORT: '0',
        CLOUD_CONTROLLER_MANAGER_KUBECONFIG: '/nonexistent/kubeconfig',
      },
    });
    await expect(svc.start()).rejects.toThrow(/CLOUD_CONTROLLER_MANAGER_KUBECONFIG=\/nonexistent/);
    await svc.stop();
  });

  it('refuses a load-balancer pool that is not a CIDR and names the variable', () => {
    expect(() =>
      createService({
        ...cloudControllerManager,
        logger: pino({ level: 'silent' }),
        env: {
          CLOUD_CONTROLLER_MANAGER_HTTP_PORT: '0',
          CLOUD_CONTROLLER_MANAGER_LB_POOL: '10.0.0.0/99',
        },
      }),
    ).toThrow(/CLOUD_CONTROLLER_MANAGER_LB_POOL="10.0.0.0\/99" is not valid: expected a CIDR/);
  });
});
