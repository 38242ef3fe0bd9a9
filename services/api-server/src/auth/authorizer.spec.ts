import { DefaultAuthorizer } from './authorizer';
import { ADMIN_USER, authenticatedUser } from './user';

const authz = new DefaultAuthorizer();
const node = authenticatedUser('system:node:n1', '', ['system:nodes']);
const bootstrapper = authenticatedUser('system:bootstrap:abcdef', '', ['system:bootstrappers']);
const scheduler = authenticatedUser('system:kube-scheduler', 'system:kube-scheduler', []);
const stranger = authenticatedUser('someone', 'x', []);
const secret = (verb: string, name = '', namespace = 'kube-system') => ({
  verb,
  group: '',
  version: 'v1',
  resource: 'secrets',
  namespace,
  name,
});
const pods = { verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const everything = { verb: 'watch', group: '*', resource: '*' };

describe('DefaultAuthorizer (until RBAC)', () => {
  it('lets administrators and control-plane components do everything', () => {
    for (const u of [ADMIN_USER, scheduler]) {
      expect(authz.authorize(u, secret('list')).allowed).toBe(true);
      expect(authz.authorize(u, everything).allowed).toBe(true);
    }
  });

  it('lets a node use the API but not other kube-system Secrets nor the whole event log', () => {
    expect(authz.authorize(node, pods).allowed).toBe(true);
    expect(authz.authorize(node, secret('get', 'x', 'default')).allowed).toBe(true);
    expect(authz.authorize(node, secret('get', 'node-token-n1')).allowed).toBe(true);
    expect(authz.authorize(node, secret('get', 'node-token-n2')).allowed).toBe(false);
    expect(authz.authorize(node, secret('list')).allowed).toBe(false);
    expect(authz.authorize(node, secret('get', 'bootstrap-token-abcdef')).allowed).toBe(false);
    expect(authz.authorize(node, everything).allowed).toBe(false);
  });

  it('lets a bootstrap token only create or replace node tokens (and read discovery)', () => {
    expect(authz.authorize(bootstrapper, secret('create')).allowed).toBe(true);
    expect(authz.authorize(bootstrapper, secret('update', 'node-token-n1')).allowed).toBe(true);
    expect(authz.authorize(bootstrapper, secret('update', 'bootstrap-token-x')).allowed).toBe(
      false,
    );
    expect(authz.authorize(bootstrapper, secret('get', 'node-token-n1')).allowed).toBe(false);
    expect(authz.authorize(bootstrapper, secret('create', '', 'default')).allowed).toBe(false);
    expect(authz.authorize(bootstrapper, pods).allowed).toBe(false);
    expect(authz.authorize(bootstrapper, { verb: 'get', path: '/api' }).allowed).toBe(true);
  });

  it('denies anyone else, naming the request', () => {
    const d = authz.authorize(stranger, pods);
    expect(d).toEqual({
      allowed: false,
      reason:
        'User "someone" cannot list resource "pods" in API group "" in the namespace "default"',
    });
  });
});
