import { openApiV2 } from '@bosun/resource-model';
import { parse as parseYaml } from 'yaml';
import {
  openApiV2Protobuf,
  openApiV2Root,
  schemaMessage,
  wantsOpenApiV2Protobuf,
} from './openapi-v2-protobuf';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DOCUMENT = openApiV2Root.lookupType('openapi.v2.Document');
const SCHEMA = openApiV2Root.lookupType('openapi.v2.Schema');
const decode = (bytes: Uint8Array): Msg =>
  DOCUMENT.toObject(DOCUMENT.decode(bytes), { defaults: false, arrays: true }) as Msg;
const named = (list: Msg[], name: string): Msg | undefined =>
  list.find((n) => n.name === name)?.value;
const ext = (s: Msg, name: string): unknown => {
  const yaml = named(s.vendor_extension ?? [], name)?.yaml;
  return yaml === undefined ? undefined : parseYaml(yaml);
};

describe('OpenAPI v2 as gnostic protobuf', () => {
  const json = openApiV2();
  const doc = decode(openApiV2Protobuf(json));
  const def = (name: string): Msg => named(doc.definitions.additional_properties, name)!;
  const prop = (s: Msg, name: string): Msg => named(s.properties.additional_properties, name)!;

  it('round-trips the header and every definition with its GroupVersionKind', () => {
    expect(doc.swagger).toBe('2.0');
    expect(doc.info).toMatchObject({ title: 'Kubernetes', version: 'v1.32.0' });
    const names = doc.definitions.additional_properties.map((n: Msg) => n.name);
    expect(names).toEqual(Object.keys(json.definitions as object));
    expect(ext(def('io.k8s.api.apps.v1.Deployment'), 'x-kubernetes-group-version-kind')).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(ext(def('io.k8s.api.core.v1.ConfigMap'), 'x-kubernetes-group-version-kind')).toEqual([
      { group: '', version: 'v1', kind: 'ConfigMap' },
    ]);
  });

  it('keeps the properties validation reads: type, $ref, items, additionalProperties, required, enum', () => {
    const cm = def('io.k8s.api.core.v1.ConfigMap');
    expect(cm.type.value).toEqual(['object']);
    expect(prop(cm, 'metadata')._ref).toBe(
      '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
    const data = prop(cm, 'data');
    expect(data.type.value).toEqual(['object']);
    expect(data.additional_properties.schema.type.value).toEqual(['string']);
    expect(prop(cm, 'immutable').type.value).toEqual(['boolean']);

    const container = def('io.k8s.api.core.v1.Container');
    expect(container.required).toEqual(['name']);
    const ports = prop(container, 'ports');
    expect(ports.items.schema[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.ContainerPort');
    expect(ext(ports, 'x-kubernetes-patch-merge-key')).toBe('containerPort');
    expect(ext(ports, 'x-kubernetes-patch-strategy')).toBe('merge');
    const pullPolicy = prop(container, 'imagePullPolicy');
    expect(pullPolicy.enum.map((a: Msg) => parseYaml(a.yaml))).toEqual(
      ((json.definitions as Msg)['io.k8s.api.core.v1.Container'].properties.imagePullPolicy as Msg)
        .enum,
    );
  });

  it('encodes the paths with their operations and parameters', () => {
    const item = named(doc.paths.path, '/api/v1/namespaces/{namespace}/configmaps')!;
    expect(item.post.operation_id).toBe('createCoreV1NamespacedConfigMap');
    expect(ext(item.post, 'x-kubernetes-group-version-kind')).toEqual({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
    });
    const params: Msg[] = item.post.parameters.map((p: Msg) => p.parameter);
    expect(params.find((p) => p.body_parameter)?.body_parameter.schema._ref).toBe(
      '#/definitions/io.k8s.api.core.v1.ConfigMap',
    );
    expect(
      params.find((p) => p.non_body_parameter?.path_parameter_sub_schema)?.non_body_parameter
        .path_parameter_sub_schema,
    ).toMatchObject({ name: 'namespace', in: 'path', required: true, type: 'string' });
    const ok = named(item.post.responses.response_code, '200')!;
    expect(ok.response.schema.schema._ref).toBe('#/definitions/io.k8s.api.core.v1.ConfigMap');
  });

  it('converts the less common schema keywords, boolean additionalProperties included', () => {
    const input = {
      type: ['string', 'null'],
      default: 'x',
      minimum: 1.5,
      maxLength: 10,
      pattern: '^a',
      additionalProperties: false,
      items: [{ type: 'integer', format: 'int64' }],
      allOf: [{ $ref: '#/definitions/A' }],
      'x-kubernetes-preserve-unknown-fields': true,
      nullable: true, // not Swagger 2.0: dropped
    };
    const bytes = SCHEMA.encode(schemaMessage(input)).finish();
    const s = SCHEMA.toObject(SCHEMA.decode(bytes), { arrays: true }) as Msg;
    expect(s.type.value).toEqual(['string', 'null']);
    expect(parseYaml(s.default.yaml)).toBe('x');
    expect(s.minimum).toBe(1.5);
    expect(Number(s.max_length)).toBe(10);
    expect(s.pattern).toBe('^a');
    expect(s.additional_properties).toEqual({ boolean: false });
    expect(s.items.schema[0]).toMatchObject({ type: { value: ['integer'] }, format: 'int64' });
    expect(s.all_of[0]._ref).toBe('#/definitions/A');
    expect(ext(s, 'x-kubernetes-preserve-unknown-fields')).toBe(true);
  });

  it('encodes once per document', () => {
    expect(openApiV2Protobuf(json)).toBe(openApiV2Protobuf(json));
  });
});

describe('wantsOpenApiV2Protobuf', () => {
  it.each([
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', true],
    ['application/com.github.proto-openapi.spec.v2.v1.0+protobuf', true],
    ['application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf', false],
    ['application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf', true],
    ['application/com.github.proto-openapi.spec.v2.v1.0+protobuf;q=0, */*', false],
    ['application/json', false],
    ['*/*', false],
    ['text/html', false],
    [undefined, false],
  ])('Accept %s → protobuf %s', (accept, expected) => {
    expect(wantsOpenApiV2Protobuf(accept)).toBe(expected);
  });
});
