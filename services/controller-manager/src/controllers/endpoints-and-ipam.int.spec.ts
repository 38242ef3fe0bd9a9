import type { Endpoints, EndpointSlice, Node } from '@bosun/api-types';
import { endpointSliceController } from './endpoint-slice.controller';
import { endpointsController } from './endpoints.controller';
import { nodeIpamController } from './node-ipam.controller';
import { Resources as Refs } from '../ports/resources';
import { kubectlAvailable } from '../../test/api-server';
import { ref, startApiHarness, type ApiHarness } from '../../test/controller-api-harness';

const ns = 'default';
const nodes = ref(Refs.nodes);
const pods = ref(Refs.pods, ns);
const services = ref(Refs.services, ns);
const slices = ref(Refs.endpointSlices, ns);
const endpoints = ref(Refs.endpoints, ns);

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: {
    nodeName: 'n1',
    containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }],
  },
});
const running = (ip: string, ready: boolean) => ({
  phase: 'Running',
  podIP: ip,
  podIPs: [{ ip }],
  // As a node agent writes it: the transition time is what the trigger-time annotation reports.
  conditions: [
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  ],
});

describe('endpoints and node IPAM (integration: real api-server, Postgres, NATS, kubectl)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.client.create(nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    });
    await h.start(endpointSliceController);
    await h.start(endpointsController);
    await h.start(nodeIpamController);
  }, 60_000);
  afterAll(() => h?.stop());

  const sliceOf = () =>
    h.client
      .list<EndpointSlice>(slices, { labelSelector: 'kubernetes.io/service-name=web' })
      .then((l) => l.items[0]);
  const readyIps = (slice: EndpointSlice | undefined) =>
    (slice?.endpoints ?? [])
      .filter((e) => e.conditions?.ready)
      .map((e) => e.addresses[0])
      .sort()
      .join(',');
  const endpointsIps = async () => {
    const e = await h.client.get<Endpoints>(endpoints, 'web').catch(() => undefined);
    const subset = e?.subsets?.[0];
    return {
      ready: (subset?.addresses ?? []).map((a) => a.ip).join(','),
      notReady: (subset?.notReadyAddresses ?? []).map((a) => a.ip).join(','),
    };
  };

  it('publishes a Service’s pods in an EndpointSlice and Endpoints that follow readiness', async () => {
    await h.client.create(services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await h.client.create(pods, pod('web-1'));
    await h.client.create(pods, pod('web-2'));
    await h.setPodStatus(ns, 'web-1', running('10.244.0.11', true));
    await h.setPodStatus(ns, 'web-2', running('10.244.0.12', false));

    const slice = await h.waitFor('a slice with web-1 ready', async () => {
      const s = await sliceOf();
      return s?.endpoints?.length === 2 && readyIps(s) === '10.244.0.11' ? s : undefined;
    });
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.find((e) => e.targetRef?.name === 'web-1')).toMatchObject({
      nodeName: 'n1',
      zone: 'zone-a',
      conditions: { ready: true, serving: true, terminating: false },
    });
    expect(
      slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'],
    ).toBeTruthy();
    await h.waitFor('Endpoints with web-2 not ready', async () => {
      const ips = await endpointsIps();
      return ips.ready === '10.244.0.11' && ips.notReady === '10.244.0.12' ? ips : undefined;
    });

    await h.setPodStatus(ns, 'web-2', running('10.244.0.12', true));
    await h.setPodStatus(ns, 'web-1', running('10.244.0.11', false));
    const after = await h.waitFor('web-2 ready, web-1 not', async () => {
      const s = await sliceOf();
      return readyIps(s) === '10.244.0.12' ? s : undefined;
    });
    expect(after.metadata.name).toBe(slice.metadata.name);
    await h.waitFor('Endpoints following', async () => {
      const ips = await endpointsIps();
      return ips.ready === '10.244.0.12' && ips.notReady === '10.244.0.11' ? ips : undefined;
    });

    if (kubectlAvailable()) {
      const out = await h.api.kubectl(['get', 'endpointslices', '-n', ns]);
      expect(out).toMatch(/NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE/);
      expect(out).toMatch(/web-\S+\s+IPv4\s+8080\s+10\.244\.0\.1[12],10\.244\.0\.1[12]/);
    }
  }, 60_000);

  it('gives a node without a pod CIDR one, and leaves a node with one alone', async () => {
    await h.client.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    const cidrs = await h.waitFor('n2 gets a pod CIDR', async () => {
      const n = await h.client.get<Node>(nodes, 'n2');
      return n.spec?.podCIDRs;
    });
    expect(cidrs).toEqual(['10.244.1.0/24']);
    expect((await h.client.get<Node>(nodes, 'n2')).spec?.podCIDR).toBe('10.244.1.0/24');
    expect((await h.client.get<Node>(nodes, 'n1')).spec?.podCIDRs).toEqual(['10.244.0.0/24']);
  }, 60_000);
});
