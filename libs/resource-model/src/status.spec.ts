import { BosunError, ErrorCode } from '@bosun/common';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  fieldError,
  invalid,
  notFound,
  tooManyRequests,
  cannotMessage,
  forbidden,
  requestEntityTooLarge,
  serviceUnavailable,
  timeout,
  unauthorized,
} from './api-errors';
import { toStatus } from './status';

describe('toStatus', () => {
  it('prints NotFound like the real server', () => {
    expect(toStatus(notFound({ group: '', resource: 'pods' }, 'x'))).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
    expect(toStatus(notFound({ group: 'apps', resource: 'deployments' }, 'web')).message).toBe(
      'deployments.apps "web" not found',
    );
    expect(
      toStatus(notFound({ group: 'apps', resource: 'deployments' }, 'web')).details?.group,
    ).toBe('apps');
  });

  it('prints AlreadyExists and Conflict with code 409', () => {
    const a = toStatus(alreadyExists({ group: '', resource: 'pods' }, 'x'));
    expect([a.message, a.reason, a.code]).toEqual([
      'pods "x" already exists',
      'AlreadyExists',
      409,
    ]);
    const c = toStatus(conflict({ group: '', resource: 'pods' }, 'x'));
    expect(c.reason).toBe('Conflict');
    expect(c.message).toBe(
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('prints Invalid with field causes, one inline and several bracketed', () => {
    const one = toStatus(invalid('Pod', '', 'x', [fieldError.required('spec.containers')]));
    expect(one).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Pod "x" is invalid: spec.containers: Required value',
      details: {
        name: 'x',
        kind: 'Pod',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
        ],
      },
    });
    const two = toStatus(
      invalid('Deployment', 'apps', 'd', [
        fieldError.required('spec.selector'),
        fieldError.invalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      ]),
    );
    expect(two.message).toBe(
      'Deployment.apps "d" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]',
    );
  });

  it('answers 410 Expired for Gone and 400 for BadRequest', () => {
    expect(toStatus(expired())).toMatchObject({
      code: 410,
      reason: 'Expired',
      message: 'too old resource version',
    });
    expect(toStatus(badRequest('bad patch'))).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('carries retryAfterSeconds for throttling', () => {
    expect(toStatus(tooManyRequests('slow down', 5)).details?.retryAfterSeconds).toBe(5);
  });

  it('reads the qualified resource other libraries put in the context', () => {
    const fromStore = new BosunError(ErrorCode.NotFound, 'deployments.apps "web" not found', {
      context: { resource: 'deployments.apps', name: 'web' },
    });
    expect(toStatus(fromStore).details).toEqual({
      name: 'web',
      group: 'apps',
      kind: 'deployments',
    });
    const core = new BosunError(ErrorCode.AlreadyExists, 'pods "p" already exists', {
      context: { resource: 'pods', name: 'p' },
    });
    expect(toStatus(core).details).toEqual({ name: 'p', kind: 'pods' });
  });

  it('hides unknown errors and internal messages behind a generic 500', () => {
    const s = toStatus(new TypeError('secret db password in /srv/app.ts:12'));
    expect(s).toMatchObject({ code: 500, reason: 'InternalError', status: 'Failure' });
    expect(JSON.stringify(s)).not.toContain('password');
    const i = toStatus(new BosunError(ErrorCode.Internal, 'pg: relation missing'));
    expect(i.message).not.toContain('pg:');
  });
});

describe('more Status shapes', () => {
  it('prints Forbidden for an object and for a collection', () => {
    const gr = { group: '', resource: 'pods' };
    const one = toStatus(forbidden(gr, 'x', cannotMessage('bob', 'get', gr, 'default')));
    expect(one).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      details: { name: 'x', kind: 'pods' },
      message:
        'pods "x" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
    });
    const all = toStatus(
      forbidden(
        { group: '', resource: 'nodes' },
        '',
        cannotMessage('bob', 'list', { group: '', resource: 'nodes' }, ''),
      ),
    );
    expect(all.message).toBe(
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    );
  });

  it('prints Unauthorized, Timeout, ServiceUnavailable and RequestEntityTooLarge', () => {
    expect(toStatus(unauthorized())).toMatchObject({
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
    expect(toStatus(timeout('request did not complete within 60s', 2))).toMatchObject({
      code: 504,
      reason: 'Timeout',
      message: 'Timeout: request did not complete within 60s',
      details: { retryAfterSeconds: 2 },
    });
    expect(toStatus(serviceUnavailable('store unavailable'))).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      details: { retryAfterSeconds: 1 },
    });
    expect(toStatus(requestEntityTooLarge(3145728))).toMatchObject({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 3145728',
    });
  });
});
