import { openApiV2 } from './openapi';
import { openApiV3Document, openApiV3Index } from './openapi-v3';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI v2', () => {
  const doc = openApiV2() as Doc;

  it('is a Swagger 2.0 document with every kind tagged by group/version/kind', () => {
    expect(doc['swagger']).toBe('2.0');
    expect(doc['definitions']['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']).toEqual(
      [{ group: '', version: 'v1', kind: 'Pod' }],
    );
    expect(
      doc['definitions']['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
    expect(
      doc['definitions']['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
    expect(doc['definitions']['io.k8s.apimachinery.pkg.apis.meta.v1.Status']).toBeDefined();
  });

  it('keeps the patch strategies kubectl apply reads', () => {
    expect(
      doc['definitions']['io.k8s.api.core.v1.PodSpec']['properties']['containers'],
    ).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
  });

  it('declares fieldValidation on create, update and patch operations', () => {
    const create = doc['paths']['/apis/apps/v1/namespaces/{namespace}/deployments']['post'];
    expect(create['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(create['x-kubernetes-action']).toBe('post');
    expect(create['parameters'].map((p: Doc) => p['name'])).toEqual(
      expect.arrayContaining(['fieldValidation', 'dryRun', 'body', 'namespace']),
    );
    const patch = doc['paths']['/api/v1/nodes/{name}']['patch'];
    expect(patch['consumes']).toContain('application/strategic-merge-patch+json');
    expect(
      doc['paths']['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']['put'][
        'x-kubernetes-group-version-kind'
      ]['kind'],
    ).toBe('Scale');
    expect(doc['paths']['/api/v1/pods']['get']['x-kubernetes-action']).toBe('list');
  });

  it('has a definition for every reference', () => {
    const refs = JSON.stringify(doc).match(/#\/definitions\/[\w.-]+/g) ?? [];
    for (const r of new Set(refs))
      expect(doc['definitions'][r.slice('#/definitions/'.length)]).toBeDefined();
  });
});

describe('OpenAPI v3', () => {
  it('indexes one document per group/version with a content hash', () => {
    const index = openApiV3Index();
    expect(Object.keys(index.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/events.k8s.io/v1',
    ]);
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/,
    );
  });

  it('serves a group/version document with components and GVK-tagged schemas', () => {
    const served = openApiV3Document('apis/apps/v1');
    const doc = served?.document as Doc;
    expect(doc['openapi']).toBe('3.0.0');
    const deployment = doc['components']['schemas']['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(deployment['properties']['spec']).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
    });
    expect(deployment['properties']['spec']['description']).toContain(
      'Specification of the desired behavior',
    );
    const patch = doc['paths']['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']['patch'];
    expect(patch['parameters'].map((p: Doc) => p['name'])).toContain('fieldValidation');
    expect(Object.keys(patch['requestBody']['content'])).toContain(
      'application/strategic-merge-patch+json',
    );
    expect(openApiV3Document('/openapi/v3/apis/apps/v1?hash=x')?.hash).toBe(served?.hash);
    expect(openApiV3Document('apis/apps/v2')).toBeUndefined();
  });

  it('has a schema for every reference and no v2 refs left', () => {
    const doc = openApiV3Document('api/v1')?.document as Doc;
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/definitions/');
    for (const r of new Set(text.match(/#\/components\/schemas\/[\w.-]+/g) ?? [])) {
      expect(doc['components']['schemas'][r.slice('#/components/schemas/'.length)]).toBeDefined();
    }
  });
});
