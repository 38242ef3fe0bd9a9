import type { StoredObject } from '@bosun/store';
import { authenticateBootstrapToken, bootstrapTokenRecord } from './bootstrap-token';
import { nodeTokenRecord } from './node-token';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const NOW = Date.parse('2030-01-01T00:00:00Z');

function bootstrapSecret(data: Record<string, string>, extra: Partial<StoredObject> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...extra,
  } as StoredObject;
}
const valid = {
  'token-id': 'abcdef',
  'token-secret': '0123456789abcdef',
  'usage-bootstrap-authentication': 'true',
};
const TOKEN = 'abcdef.0123456789abcdef';
const auth = (obj: StoredObject, token = TOKEN, now = NOW) =>
  authenticateBootstrapToken(token, bootstrapTokenRecord(obj), now);

describe('bootstrap tokens (Kubernetes semantics)', () => {
  it('authenticates <id>.<secret> as system:bootstrap:<id> in system:bootstrappers', () => {
    expect(auth(bootstrapSecret(valid))).toEqual({
      name: 'system:bootstrap:abcdef',
      uid: '',
      groups: ['system:bootstrappers', 'system:authenticated'],
    });
  });

  it('adds valid auth-extra-groups and refuses the token for an invalid one', () => {
    const extra = { ...valid, 'auth-extra-groups': 'system:bootstrappers:workers' };
    expect(auth(bootstrapSecret(extra))?.groups).toContain('system:bootstrappers:workers');
    expect(auth(bootstrapSecret({ ...valid, 'auth-extra-groups': 'system:masters' }))).toBe(
      undefined,
    );
  });

  it('refuses a wrong secret, a missing usage, a deleting or expired Secret', () => {
    expect(auth(bootstrapSecret(valid), 'abcdef.0123456789abcdee')).toBeUndefined();
    expect(auth(bootstrapSecret(valid), 'abcdef.0123456789abcde')).toBeUndefined();
    const noUsage = { ...valid, 'usage-bootstrap-authentication': 'false' };
    expect(auth(bootstrapSecret(noUsage))).toBeUndefined();
    const deleting = bootstrapSecret(valid, {
      metadata: {
        name: 'bootstrap-token-abcdef',
        namespace: 'kube-system',
        deletionTimestamp: '2029-01-01T00:00:00Z',
      },
    });
    expect(auth(deleting)).toBeUndefined();
    const expires = { ...valid, expiration: '2030-01-01T00:00:00Z' };
    expect(auth(bootstrapSecret(expires), TOKEN, NOW - 1)).toBeDefined();
    expect(auth(bootstrapSecret(expires), TOKEN, NOW)).toBeUndefined();
    expect(auth(bootstrapSecret({ ...valid, expiration: 'tomorrow' }))).toBeUndefined();
  });

  it('is no bootstrap token with the wrong type, name, or token-id', () => {
    expect(bootstrapTokenRecord(bootstrapSecret(valid, { type: 'Opaque' }))).toBeUndefined();
    expect(bootstrapTokenRecord(bootstrapSecret({ ...valid, 'token-id': 'zzzzzz' }))).toBe(
      undefined,
    );
    expect(auth(bootstrapSecret(valid), 'abcdeg.0123456789abcdef')).toBeUndefined();
  });
});

describe('node tokens', () => {
  const nodeSecret = (name: string, nodeName: string, token: string) =>
    ({
      metadata: { name, namespace: 'kube-system' },
      type: 'bosun.dev/node-token',
      data: { 'node-name': b64(nodeName), token: b64(token) },
    }) as StoredObject;
  const token = 'x'.repeat(43);

  it('reads node-token-<node> naming that node', () => {
    expect(nodeTokenRecord(nodeSecret('node-token-n1', 'n1', token))).toEqual({
      nodeName: 'n1',
      token,
    });
  });

  it('ignores a node-name mismatch, a short token, or another type', () => {
    expect(nodeTokenRecord(nodeSecret('node-token-n1', 'n2', token))).toBeUndefined();
    expect(nodeTokenRecord(nodeSecret('node-token-n1', 'n1', 'short'))).toBeUndefined();
    expect(
      nodeTokenRecord({ ...nodeSecret('node-token-n1', 'n1', token), type: 'Opaque' }),
    ).toBeUndefined();
  });
});
