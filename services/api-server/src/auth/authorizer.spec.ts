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

  it('never lets a node list or watch Secrets, in one namespace or across all of them', () => {
    for (const verb of ['list', 'watch'])
      for (const namespace of ['', 'default', 'kube-system'])
        expect([
          verb,
          namespace,
          authz.authorize(node, secret(verb, '', namespace)).allowed,
        ]).toEqual([verb, namespace, false]);
    for (const verb of ['create', 'update', 'delete'])
      expect(authz.authorize(node, secret(verb, 'x', 'default')).allowed).toBe(false);
  });

  it('lets a node write only its own Node and Lease, never delete a Node nor bind pods', () => {
    const nodes = (verb: string, name: string, subresource?: string) => ({
      verb,
      group: '',
      version: 'v1',
      resource: 'nodes',
      name,
      subresource,
    });
    const lease = (verb: string, name: string, namespace = 'kube-node-lease') => ({
      verb,
      group: 'coordination.k8s.io',
      version: 'v1',
      resource: 'leases',
      namespace,
      name,
    });
    expect(authz.authorize(node, nodes('patch', 'n1', 'status')).allowed).toBe(true);
    expect(authz.authorize(node, nodes('create', '')).allowed).toBe(true);
    expect(authz.authorize(node, nodes('get', 'n2')).allowed).toBe(true);
    expect(authz.authorize(node, nodes('update', 'n2')).allowed).toBe(false);
    expect(authz.authorize(node, nodes('patch', 'n2', 'status')).allowed).toBe(false);
    expect(authz.authorize(node, nodes('delete', 'n1')).allowed).toBe(false);
    expect(authz.authorize(node, lease('update', 'n1')).allowed).toBe(true);
    expect(authz.authorize(node, lease('update', 'n2')).allowed).toBe(false);
    expect(authz.authorize(node, lease('create', 'n1', 'kube-system')).allowed).toBe(false);
    const binding = { ...pods, verb: 'create', name: 'p', subresource: 'binding' };
    expect(authz.authorize(node, binding).allowed).toBe(false);
  });

  it('lets a bootstrap token only create node tokens (and read discovery), never replace one', () => {
    expect(authz.authorize(bootstrapper, secret('create')).allowed).toBe(true);
    expect(authz.authorize(bootstrapper, secret('update', 'node-token-n1')).allowed).toBe(false);
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
