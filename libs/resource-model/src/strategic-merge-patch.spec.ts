import { isBosunError } from '@bosun/common';
import { applyStrategicMergePatch } from './strategic-merge-patch';

const DEPLOY = 'io.k8s.api.apps.v1.Deployment';
const POD = 'io.k8s.api.core.v1.Pod';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80 }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
});

const containers = (d: ReturnType<typeof deployment>) =>
  d.spec.template.spec.containers as Record<string, unknown>[];

describe('strategic merge patch', () => {
  it('merges containers by name, keeping the ones the patch does not mention', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } },
      DEPLOY,
    );
    expect(containers(out).map((c) => [c['name'], c['image']])).toEqual([
      ['app', 'app:2'],
      ['sidecar', 'proxy:1'],
    ]);
    expect(containers(out)[0]?.['env']).toHaveLength(2);
  });

  it('adds a new container and merges env by name inside one', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  env: [
                    { name: 'B', value: '3' },
                    { name: 'C', value: '4' },
                  ],
                },
                { name: 'new', image: 'n' },
              ],
            },
          },
        },
      },
      DEPLOY,
    );
    expect(containers(out).map((c) => c['name'])).toEqual(['app', 'sidecar', 'new']);
    expect(containers(out)[0]?.['env']).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
  });

  it('deletes a list element with $patch: delete and a field with null', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { labels: { tier: null } },
        spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
      },
      DEPLOY,
    );
    expect(containers(out).map((c) => c['name'])).toEqual(['app']);
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('replaces lists without a patch strategy (tolerations are atomic)', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } },
      DEPLOY,
    );
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
  });

  it('replaces a whole list or map with $patch: replace', () => {
    const list = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } },
        },
      },
      DEPLOY,
    );
    expect(containers(list)).toEqual([{ name: 'only', image: 'o' }]);
    const map = applyStrategicMergePatch(
      deployment(),
      { metadata: { labels: { $patch: 'replace', only: 'x' } } },
      DEPLOY,
    );
    expect(map.metadata.labels).toEqual({ only: 'x' });
  });

  it('clears keys outside $retainKeys (switching a Deployment to Recreate, as kubectl apply sends it)', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
      DEPLOY,
    );
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('switches a volume source with $retainKeys inside a list element', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              volumes: [
                { name: 'data', hostPath: { path: '/d' }, $retainKeys: ['hostPath', 'name'] },
              ],
            },
          },
        },
      },
      DEPLOY,
    );
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/d' } }]);
  });

  it('merges primitive lists with a merge strategy as sets and deletes from them', () => {
    const added = applyStrategicMergePatch(
      deployment(),
      { metadata: { finalizers: ['b', 'a'] } },
      DEPLOY,
    );
    expect(added.metadata.finalizers).toEqual(['a', 'b']);
    const removed = applyStrategicMergePatch(
      added,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      DEPLOY,
    );
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('orders the merged list by $setElementOrder (kubectl apply sends it with every list)', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
              containers: [{ name: 'app', image: 'app:3' }],
            },
          },
        },
      },
      DEPLOY,
    );
    expect(containers(out).map((c) => c['name'])).toEqual(['sidecar', 'app']);
  });

  it('keeps elements the order directive does not name in their place (an injected sidecar)', () => {
    const d = deployment();
    d.spec.template.spec.containers = [
      { name: 'a', image: 'a' },
      { name: 'injected', image: 'i' },
      { name: 'b', image: 'b' },
    ] as typeof d.spec.template.spec.containers;
    const out = applyStrategicMergePatch(
      d,
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
              containers: [{ name: 'c', image: 'c' }],
            },
          },
        },
      },
      DEPLOY,
    );
    expect(containers(out).map((c) => c['name'])).toEqual(['a', 'injected', 'b', 'c']);
  });

  it('rejects a $retainKeys that leaves out a field the patch sets', () => {
    expect(() =>
      applyStrategicMergePatch(
        deployment(),
        { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: {} } } },
        DEPLOY,
      ),
    ).toThrow(/retainKeys/);
  });

  it('merges container ports by containerPort and pod conditions by type', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, name: 'http' }] }],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    };
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: { containers: [{ name: 'c', ports: [{ containerPort: 443 }] }] },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      POD,
    );
    expect(out.spec.containers[0]?.ports).toEqual([
      { containerPort: 80, name: 'http' },
      { containerPort: 443 },
    ]);
    expect(out.status.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ]);
  });

  it('applies the patch kubectl apply 1.32 sends when a container is dropped and a label added', () => {
    // Shape recorded from kubectl apply against test/fake-api-server.ts (annotation elided).
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { labels: { extra: 'yes' } },
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'app' }],
              containers: [
                { image: 'app:2', name: 'app' },
                { $patch: 'delete', name: 'sidecar' },
              ],
            },
          },
        },
      },
      DEPLOY,
    );
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'fe', extra: 'yes' });
    expect(containers(out)).toEqual([{ ...containers(deployment())[0], image: 'app:2' }]);
  });

  it('rejects malformed patches as BadRequest', () => {
    const bad = [
      [1, 2],
      { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } },
      { spec: { $patch: 'explode' } },
      { metadata: { $unknownDirective: 1 } },
    ];
    for (const p of bad) {
      let err: unknown;
      try {
        applyStrategicMergePatch(deployment(), p, DEPLOY);
      } catch (e) {
        err = e;
      }
      expect(isBosunError(err, 'BadRequest')).toBe(true);
    }
  });

  it('does not change the original object', () => {
    const d = deployment();
    applyStrategicMergePatch(d, { spec: { replicas: 5 } }, DEPLOY);
    expect(d).toEqual(deployment());
  });
});
