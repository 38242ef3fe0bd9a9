import { BosunError, isBosunError } from '@bosun/common';
import { defaultRegistry } from './registry';
import { toStatus } from './status';
import { validateCreate, validateUpdate } from './validate';
import { applyDefaults } from './workload-defaults';
import { fieldPath } from './schema-validation';
import { findUnknownFields } from './unknown-fields';

const kind = (resource: string, group = '') => {
  const k = defaultRegistry.kinds().find((x) => x.resource === resource && x.group === group);
  if (k === undefined) throw new Error(resource);
  return k;
};
const POD = kind('pods');
const DEPLOY = kind('deployments', 'apps');

const pod = (over: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  ...over,
});

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    },
  },
});

/** The thrown error, or a failure if none. */
function errorOf(f: () => unknown): BosunError {
  try {
    f();
  } catch (e) {
    if (isBosunError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('validation', () => {
  it('accepts valid defaulted objects of every kind it has rules for', () => {
    expect(validateCreate(POD, applyDefaults(pod())).warnings).toEqual([]);
    expect(validateCreate(DEPLOY, applyDefaults(deployment())).warnings).toEqual([]);
  });

  it('answers `Pod "x" is invalid: spec.containers: Required value`', () => {
    const e = errorOf(() =>
      validateCreate(POD, pod({ metadata: { name: 'x' }, spec: { containers: [] } })),
    );
    expect(toStatus(e)).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Pod "x" is invalid: spec.containers: Required value',
      details: {
        name: 'x',
        kind: 'Pod',
        causes: [{ field: 'spec.containers', reason: 'FieldValueRequired' }],
      },
    });
  });

  it('reports a spec of the wrong type after defaulting instead of replacing it', () => {
    const e = errorOf(() => validateCreate(POD, applyDefaults(pod({ spec: 5 }))));
    expect(e.causes[0]).toMatchObject({ field: 'spec', reason: 'FieldValueTypeInvalid' });
  });

  it('maps upstream schema errors to field causes', () => {
    const e = errorOf(() =>
      validateCreate(
        POD,
        pod({ spec: { containers: [{ name: 'app', image: 'x', imagePullPolicy: 'Sometimes' }] } }),
      ),
    );
    expect(e.causes).toContainEqual({
      field: 'spec.containers[0].imagePullPolicy',
      reason: 'FieldValueNotSupported',
      message:
        'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    });
    const d = deployment() as { spec: Record<string, unknown> };
    d.spec['replicas'] = 'two';
    expect(errorOf(() => validateCreate(DEPLOY, d)).causes[0]).toMatchObject({
      field: 'spec.replicas',
      reason: 'FieldValueTypeInvalid',
    });
    expect(fieldPath('/spec/containers/0/name')).toBe('spec.containers[0].name');
  });

  it('requires container names and images, unique names, and known volume mounts', () => {
    const e = errorOf(() =>
      validateCreate(
        POD,
        pod({
          spec: {
            containers: [
              { name: 'a', image: '' },
              { name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v' }] },
            ],
          },
        }),
      ),
    );
    expect(e.causes.map((c) => `${c.field} ${c.reason}`)).toEqual([
      'spec.containers[0].image FieldValueRequired',
      'spec.containers[1].name FieldValueDuplicate',
      'spec.containers[1].volumeMounts[0].name FieldValueNotFound',
    ]);
  });

  it('refuses volume names that are not DNS labels and paths that leave their volume', () => {
    const e = errorOf(() =>
      validateCreate(
        POD,
        pod({
          spec: {
            volumes: [
              { name: '../../etc', emptyDir: {} },
              { name: 'cm', configMap: { name: 'c', items: [{ key: 'k', path: '../k' }] } },
              { name: 's', secret: { secretName: 's', items: [{ key: 'k', path: '/abs' }] } },
              { name: 'ok', emptyDir: {} },
            ],
            containers: [
              {
                name: 'a',
                image: 'x',
                volumeMounts: [
                  { name: 'ok', mountPath: '/a', subPath: 'x/../../..' },
                  { name: 'ok', mountPath: '/b', subPath: '/etc' },
                  { name: 'ok', mountPath: '/c', subPathExpr: '..' },
                  { name: 'ok', mountPath: '/d', subPath: 'x/..y/z' },
                ],
              },
            ],
          },
        }),
      ),
    );
    expect(e.causes.map((c) => `${c.field} ${c.reason}`)).toEqual([
      'spec.volumes[0].name FieldValueInvalid',
      'spec.volumes[1].configMap.items[0].path FieldValueInvalid',
      'spec.volumes[2].secret.items[0].path FieldValueInvalid',
      'spec.containers[0].volumeMounts[0].subPath FieldValueInvalid',
      'spec.containers[0].volumeMounts[1].subPath FieldValueInvalid',
      'spec.containers[0].volumeMounts[2].subPathExpr FieldValueInvalid',
    ]);
    expect(e.causes[3]?.message).toContain("must not contain '..'");
    expect(e.causes[4]?.message).toContain('must be a relative path');
  });

  it('checks names per kind: subdomains, namespace labels, DNS-1035 service names', () => {
    expect(
      errorOf(() => validateCreate(POD, pod({ metadata: { name: 'Web_1' } }))).causes[0]?.field,
    ).toBe('metadata.name');
    expect(() => validateCreate(POD, pod({ metadata: { name: 'a.b-c' } }))).not.toThrow();
    const ns = kind('namespaces');
    expect(
      errorOf(() =>
        validateCreate(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }),
      ).message,
    ).toContain('Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b"');
    const svc = kind('services');
    const service = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }] },
    });
    expect(() => validateCreate(svc, service('web'))).not.toThrow();
    expect(errorOf(() => validateCreate(svc, service('1web'))).causes[0]?.field).toBe(
      'metadata.name',
    );
    expect(errorOf(() => validateCreate(POD, pod({ metadata: {} }))).message).toContain(
      'metadata.name: Required value',
    );
  });

  it('checks label keys and values and the annotation size', () => {
    const bad = errorOf(() =>
      validateCreate(
        POD,
        pod({ metadata: { name: 'p', labels: { 'a/b/c': 'x', ok: 'has space' } } }),
      ),
    );
    expect(bad.causes.map((c) => c.field)).toEqual(['metadata.labels', 'metadata.labels']);
    const big = errorOf(() =>
      validateCreate(
        POD,
        pod({ metadata: { name: 'p', annotations: { a: 'x'.repeat(256 * 1024) } } }),
      ),
    );
    expect(big.causes).toEqual([
      {
        field: 'metadata.annotations',
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 262144 bytes',
      },
    ]);
  });

  it('checks the Deployment selector against the template labels', () => {
    const d = deployment();
    d.spec.template.metadata.labels = { app: 'other' };
    const e = errorOf(() => validateCreate(DEPLOY, d));
    expect(e.message).toContain(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value',
    );
    const noSel = deployment() as { spec: Record<string, unknown> };
    delete noSel.spec['selector'];
    expect(errorOf(() => validateCreate(DEPLOY, noSel)).causes[0]?.field).toBe('spec.selector');
  });

  it('checks the Deployment rolling-update bounds and a Recreate without rollingUpdate', () => {
    const withStrategy = (strategy: unknown) => ({
      ...deployment(),
      spec: { ...deployment().spec, strategy },
    });
    expect(() =>
      validateCreate(
        DEPLOY,
        withStrategy({
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' },
        }),
      ),
    ).not.toThrow();
    expect(
      errorOf(() =>
        validateCreate(
          DEPLOY,
          withStrategy({
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: 0, maxUnavailable: 0 },
          }),
        ),
      ).causes[0],
    ).toMatchObject({
      field: 'spec.strategy.rollingUpdate.maxUnavailable',
    });
    expect(
      errorOf(() =>
        validateCreate(
          DEPLOY,
          withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '150%' } }),
        ),
      ).causes[0]?.field,
    ).toBe('spec.strategy.rollingUpdate.maxSurge');
    expect(
      errorOf(() =>
        validateCreate(DEPLOY, withStrategy({ type: 'Recreate', rollingUpdate: { maxSurge: 1 } })),
      ).causes[0],
    ).toMatchObject({
      field: 'spec.strategy.rollingUpdate',
      reason: 'FieldValueForbidden',
    });
  });

  it('rejects the default restartPolicy Always for a Job', () => {
    const job = applyDefaults({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    expect(errorOf(() => validateCreate(kind('jobs', 'batch'), job)).causes[0]).toMatchObject({
      field: 'spec.template.spec.restartPolicy',
      reason: 'FieldValueNotSupported',
    });
  });

  it('requires access modes, size and one volume source for persistent volumes and claims', () => {
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c' },
      spec: {},
    };
    expect(
      errorOf(() => validateCreate(kind('persistentvolumeclaims'), pvc)).causes.map((c) => c.field),
    ).toEqual(['spec.accessModes', 'spec.resources[storage]']);
    const pv = (spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'v' },
      spec,
    });
    const ok = {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
      hostPath: { path: '/d' },
    };
    expect(() => validateCreate(kind('persistentvolumes'), pv(ok))).not.toThrow();
    expect(
      errorOf(() => validateCreate(kind('persistentvolumes'), pv({ ...ok, hostPath: undefined })))
        .causes[0]?.message,
    ).toBe('Required value: must specify a volume type');
  });

  it('checks events, leases and endpoint slices', () => {
    const ev = kind('events', 'events.k8s.io');
    expect(
      errorOf(() =>
        validateCreate(ev, {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: 'e', namespace: 'd' },
        }),
      ).causes.map((c) => c.field),
    ).toEqual(['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason']);
    const core = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'a' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'b' },
    };
    expect(errorOf(() => validateCreate(kind('events'), core)).causes[0]?.field).toBe(
      'involvedObject.namespace',
    );
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: { leaseDurationSeconds: 0 },
    };
    expect(
      errorOf(() => validateCreate(kind('leases', 'coordination.k8s.io'), lease)).causes[0]?.field,
    ).toBe('spec.leaseDurationSeconds');
    const sliceKind = kind('endpointslices', 'discovery.k8s.io');
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 's' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'] }],
    };
    expect(() => validateCreate(sliceKind, slice)).not.toThrow();
    expect(
      errorOf(() => validateUpdate(sliceKind, { ...slice, addressType: 'IPv6' }, slice)).causes[0]
        ?.field,
    ).toBe('addressType');
  });

  describe('fieldValidation', () => {
    const withTypo = () => {
      const d = deployment() as {
        spec: Record<string, unknown> & {
          template: { spec: { containers: Record<string, unknown>[] } };
        };
      };
      d.spec['replica'] = 3;
      d.spec.template.spec.containers[0]!['imagee'] = 'x';
      return d;
    };

    it('finds unknown fields by their Kubernetes paths', () => {
      expect(findUnknownFields(DEPLOY.schema, withTypo())).toEqual([
        'spec.replica',
        'spec.template.spec.containers[0].imagee',
      ]);
      expect(findUnknownFields(DEPLOY.schema, applyDefaults(deployment()))).toEqual([]);
      expect(findUnknownFields(DEPLOY.schema, { spec: { constructor: 1, toString: 2 } })).toEqual([
        'spec.constructor',
        'spec.toString',
      ]);
    });

    it('warns by default and with Warn, says nothing with Ignore', () => {
      expect(validateCreate(DEPLOY, withTypo()).warnings).toEqual([
        'unknown field "spec.replica"',
        'unknown field "spec.template.spec.containers[0].imagee"',
      ]);
      expect(validateCreate(DEPLOY, withTypo(), { fieldValidation: 'Ignore' }).warnings).toEqual(
        [],
      );
    });

    it('fails with BadRequest under Strict', () => {
      const e = errorOf(() => validateCreate(DEPLOY, withTypo(), { fieldValidation: 'Strict' }));
      expect(e.code).toBe('BadRequest');
      expect(e.message).toBe(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagee"',
      );
      expect(
        errorOf(() => validateCreate(DEPLOY, deployment(), { fieldValidation: 'Loud' })).code,
      ).toBe('BadRequest');
    });

    it('does not flag fields under free-form maps', () => {
      const p = pod({
        metadata: { name: 'p', labels: { any: 'thing' }, annotations: { 'x/y': 'z' } },
      });
      expect(findUnknownFields(POD.schema, p)).toEqual([]);
    });
  });

  describe('updates', () => {
    it('forbids changing a Deployment selector', () => {
      const old = applyDefaults(deployment());
      const next = structuredClone(old);
      next.spec.selector = { matchLabels: { app: 'web2' } };
      next.spec.template.metadata.labels = { app: 'web2' };
      expect(errorOf(() => validateUpdate(DEPLOY, next, old)).causes).toContainEqual(
        expect.objectContaining({
          field: 'spec.selector',
          message: expect.stringContaining('field is immutable'),
        }),
      );
      const scaled = structuredClone(old);
      scaled.spec.replicas = 5;
      expect(() => validateUpdate(DEPLOY, scaled, old)).not.toThrow();
    });

    it('lets a pod change its image and add tolerations, nothing else', () => {
      const old = applyDefaults(pod()) as ReturnType<typeof pod> & {
        spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
      };
      const image = structuredClone(old);
      image.spec.containers[0]!['image'] = 'nginx:1.28';
      (image.spec['tolerations'] as unknown[]).push({ key: 'k', operator: 'Exists' });
      expect(() => validateUpdate(POD, image, old)).not.toThrow();
      const env = structuredClone(old);
      env.spec.containers[0]!['env'] = [{ name: 'A', value: '1' }];
      const bound = structuredClone(old);
      bound.spec['nodeName'] = 'node-a';
      expect(errorOf(() => validateUpdate(POD, bound, old)).causes[0]?.field).toBe('spec');
      const gated = structuredClone(old);
      gated.spec['schedulingGates'] = [{ name: 'a' }, { name: 'b' }];
      const ungated = structuredClone(gated);
      ungated.spec['schedulingGates'] = [{ name: 'b' }];
      expect(() => validateUpdate(POD, ungated, gated)).not.toThrow();
      expect(() => validateUpdate(POD, gated, ungated)).toThrow();
      expect(errorOf(() => validateUpdate(POD, env, old)).causes[0]).toMatchObject({
        field: 'spec',
        reason: 'FieldValueForbidden',
      });
    });

    it('keeps metadata.name and immutable ConfigMap data fixed', () => {
      const cmKind = kind('configmaps');
      const old = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        immutable: true,
        data: { a: '1' },
      };
      expect(
        errorOf(() => validateUpdate(cmKind, { ...old, data: { a: '2' } }, old)).causes[0]?.field,
      ).toBe('data');
      expect(
        errorOf(() => validateUpdate(cmKind, { ...old, metadata: { name: 'd' } }, old)).causes[0]
          ?.field,
      ).toBe('metadata.name');
    });
  });
});
