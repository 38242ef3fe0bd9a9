import { defaultRegistry } from './registry';
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './update-strategy';

const deployKind = defaultRegistry.byResource('apps', 'v1', 'deployments')!;
const cmKind = defaultRegistry.byResource('', 'v1', 'configmaps')!;

const stored = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    uid: 'u1',
    generation: 3,
    labels: { a: '1' },
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec: { replicas: 2 },
  status: { replicas: 2, observedGeneration: 3 },
});

describe('write strategies', () => {
  it('drops client status and starts generation at 1 on create', () => {
    const d = prepareForCreate(deployKind, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', generation: 9 },
      spec: {},
      status: { replicas: 5 },
    });
    expect(d).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', generation: 1 },
      spec: {},
    });
    const cm = prepareForCreate(cmKind, { metadata: { name: 'c', generation: 2 }, data: {} });
    expect(cm.metadata).toEqual({ name: 'c' });
    const node = prepareForCreate(defaultRegistry.byResource('', 'v1', 'nodes')!, {
      metadata: { name: 'n' },
      status: { capacity: { cpu: '2' } },
    });
    expect(node.status).toEqual({ capacity: { cpu: '2' } });
  });

  it('keeps the stored status on a main-resource update and bumps generation on spec changes only', () => {
    const scaled = prepareForUpdate(
      deployKind,
      { ...stored(), spec: { replicas: 5 }, status: { replicas: 99 } },
      stored(),
    );
    expect(scaled.status).toEqual(stored().status);
    expect(scaled.metadata.generation).toBe(4);
    const relabeled = prepareForUpdate(
      deployKind,
      { ...stored(), metadata: { ...stored().metadata, labels: { b: '2' } } },
      stored(),
    );
    expect(relabeled.metadata).toMatchObject({ generation: 3, labels: { b: '2' } });
  });

  it('takes only status from a /status update', () => {
    const next = prepareForStatusUpdate(
      deployKind,
      {
        ...stored(),
        metadata: { ...stored().metadata, labels: { hacked: 'x' }, generation: 10 },
        spec: { replicas: 50 },
        status: { replicas: 1, observedGeneration: 3 },
      },
      stored(),
    );
    expect(next).toEqual({ ...stored(), status: { replicas: 1, observedGeneration: 3 } });
  });
});
