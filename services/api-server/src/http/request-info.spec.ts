import { parseRequestInfo } from './request-info';

describe('parseRequestInfo', () => {
  it('reads namespaced, cluster-scoped and subresource paths and the verb', () => {
    expect(parseRequestInfo('GET', '/api/v1/namespaces/ns/pods/p/status', false)).toMatchObject({
      isResource: true,
      group: '',
      version: 'v1',
      namespace: 'ns',
      resource: 'pods',
      name: 'p',
      subresource: 'status',
      verb: 'get',
    });
    expect(parseRequestInfo('GET', '/apis/apps/v1/deployments', true)).toMatchObject({
      group: 'apps',
      resource: 'deployments',
      namespace: '',
      verb: 'watch',
    });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/ns/configmaps', false)).toMatchObject({
      resource: 'configmaps',
      verb: 'deletecollection',
    });
    expect(parseRequestInfo('PUT', '/api/v1/namespaces/ns', false)).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      verb: 'update',
    });
    expect(parseRequestInfo('PUT', '/api/v1/namespaces/ns/status', false)).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      subresource: 'status',
    });
    expect(parseRequestInfo('GET', '/version', false).isResource).toBe(false);
    expect(parseRequestInfo('GET', '/apis/apps', false).isResource).toBe(false);
  });
});
