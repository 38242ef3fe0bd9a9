import { definitionNameOf, fileOf } from './dts-schema-reader';
import type { JsonSchema } from './json-schema';
import { openApiV2 } from './openapi';
import { openApiV3Document } from './openapi-v3';
import { defaultRegistry, KindRegistry } from './registry';
import { closure, definition, resolveSchema } from './schema-registry';
import { findUnknownFields } from './unknown-fields';

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

describe('schemas of kinds no package ships', () => {
  it('resolves every built-in kind to a real upstream schema with properties', () => {
    for (const k of defaultRegistry.kinds()) {
      expect({
        kind: k.kind,
        props: Object.keys(definition(k.schema).properties ?? {}).length > 2,
      }).toEqual({ kind: k.kind, props: true });
      expect(definition(`${k.schema}List`).properties?.['items']).toBeDefined();
    }
  });

  it('serves a Bosun kind from its inline schema, with a derived list, in OpenAPI and unknown-field checks', () => {
    const registry = new KindRegistry([
      {
        group: 'bosun.dev',
        version: 'v1',
        kind: 'Webhook',
        resource: 'webhooks',
        singular: 'webhook',
        namespaced: true,
        shortNames: ['wh'],
        categories: [],
        verbs: ['get', 'list', 'create'],
        subresources: [],
        fieldSelectors: [],
        schema: 'dev.bosun.v1.Webhook',
        openAPISchema: {
          type: 'object',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
            spec: { type: 'object', properties: { url: { type: 'string' } } },
          },
        },
      },
    ]);
    const v2 = openApiV2(registry) as { definitions: Record<string, JsonSchema> };
    expect(v2.definitions['dev.bosun.v1.Webhook']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'bosun.dev', version: 'v1', kind: 'Webhook' },
    ]);
    expect(v2.definitions['dev.bosun.v1.WebhookList']?.properties?.['items']?.items?.$ref).toBe(
      '#/definitions/dev.bosun.v1.Webhook',
    );
    expect(findUnknownFields('dev.bosun.v1.Webhook', { spec: { url: 'x', urll: 'y' } })).toEqual([
      'spec.urll',
    ]);
    expect(openApiV3Document('apis/bosun.dev/v1', registry)).toBeDefined();
  });

  it('keeps an unknown definition open instead of failing', () => {
    expect(definition('io.k8s.api.nothing.v1.Missing')).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });
});
