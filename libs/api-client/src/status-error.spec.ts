import { ErrorCode } from '@bosun/common';
import { resourcePath } from './resource-ref';
import { statusToError } from './status-error';

describe('statusToError', () => {
  it('maps HTTP codes and Status reasons to error codes with causes', () => {
    expect(statusToError(404, { message: 'pods "x" not found', reason: 'NotFound' }).code).toBe(
      ErrorCode.NotFound,
    );
    expect(statusToError(409, { reason: 'AlreadyExists' }).code).toBe(ErrorCode.AlreadyExists);
    expect(statusToError(409, { reason: 'Conflict' }).code).toBe(ErrorCode.Conflict);
    expect(statusToError(410, { reason: 'Expired' }).code).toBe(ErrorCode.Gone);
    const invalid = statusToError(422, {
      message: 'bad',
      details: { causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: 'no' }] },
    });
    expect(invalid.code).toBe(ErrorCode.Invalid);
    expect(invalid.causes).toEqual([
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'no' },
    ]);
    expect(statusToError(502, undefined).code).toBe(ErrorCode.Internal);
  });

  it('builds resource paths for core, named groups, namespaces and subresources', () => {
    expect(
      resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'a' }, 'p', 'status'),
    ).toBe('/api/v1/namespaces/a/pods/p/status');
    expect(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments' })).toBe(
      '/apis/apps/v1/deployments',
    );
  });
});
