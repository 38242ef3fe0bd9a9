import { definitionNameOf, fileOf } from './dts-schema-reader';
import { closure, definition, resolveSchema } from './schema-registry';

describe('schemas read from the kubernetes-models type files', () => {
  it('reads Pod with descriptions and a ref to its spec', () => {
    const pod = definition('io.k8s.api.core.v1.Pod');
    expect(pod.description).toContain('Pod is a collection of containers');
    expect(pod.properties?.['spec']).toMatchObject({
      $ref: '#/definitions/io.k8s.api.core.v1.PodSpec',
    });
    expect(pod.properties?.['metadata']?.$ref).toBe(
      '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
  });

  it('reads required fields, enums, arrays, maps and patch metadata', () => {
    const spec = definition('io.k8s.api.core.v1.PodSpec');
    expect(spec.required).toEqual(['containers']);
    expect(spec.properties?.['dnsPolicy']?.enum).toEqual([
      'ClusterFirst',
      'ClusterFirstWithHostNet',
      'Default',
      'None',
    ]);
    expect(spec.properties?.['containers']).toMatchObject({
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
    });
    expect(spec.properties?.['nodeSelector']).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(
      resolveSchema(definition('io.k8s.api.core.v1.ServicePort').properties?.['targetPort']),
    ).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
  });

  it('maps definition names to files and back', () => {
    for (const n of [
      'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.core.v1.Pod',
      'io.k8s.api.coordination.v1.Lease',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]) {
      expect(definitionNameOf(fileOf(n))).toBe(n);
    }
  });

  it('collects the closure of a kind', () => {
    const all = closure(['io.k8s.api.apps.v1.Deployment']);
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining([
        'io.k8s.api.core.v1.Container',
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
      ]),
    );
    expect(
      all['io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1']?.[
        'x-kubernetes-preserve-unknown-fields'
      ],
    ).toBe(true);
  });
});
