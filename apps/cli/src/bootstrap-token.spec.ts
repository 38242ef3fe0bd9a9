import fc from 'fast-check';
import {
  BOOTSTRAP_TOKEN_PATTERN,
  bootstrapSecret,
  generateToken,
  parseToken,
  tokenRow,
  tokenString,
} from './bootstrap-token';

const decode = (data: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString(),
    ]),
  );

describe('bootstrap tokens', () => {
  it('generates <id>.<secret> of [a-z0-9]{6}.[a-z0-9]{16}, different each time', () => {
    const tokens = Array.from({ length: 50 }, () => tokenString(generateToken()));
    for (const t of tokens) expect(t).toMatch(BOOTSTRAP_TOKEN_PATTERN);
    expect(new Set(tokens).size).toBe(50);
  });

  it('parses a token and refuses anything else without echoing it', () => {
    expect(parseToken('abcdef.0123456789abcdef')).toEqual({
      id: 'abcdef',
      secret: '0123456789abcdef',
    });
    for (const bad of [
      'abcdef',
      'ABCDEF.0123456789abcdef',
      'abcde.0123456789abcdefg',
      'abcdef.0123456789abcde!',
      ' abcdef.0123456789abcdef',
    ]) {
      expect(() => parseToken(bad)).toThrow(/not a bootstrap token/);
      try {
        parseToken(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
  });

  it('fuzz: every string either parses to a token that prints back the same, or is refused', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z0-9]{6}\.[a-z0-9]{16}$/)), (s) => {
        let parsed;
        try {
          parsed = parseToken(s);
        } catch {
          expect(BOOTSTRAP_TOKEN_PATTERN.test(s)).toBe(false);
          return;
        }
        expect(tokenString(parsed)).toBe(s);
      }),
    );
  });

  it('writes the Secret kubeadm writes, and reads it back for the list', () => {
    const t = { id: 'abcdef', secret: '0123456789abcdef' };
    const s = bootstrapSecret(t, {
      expiration: new Date('2030-01-02T03:04:05.678Z'),
      description: 'rack 4',
    });
    expect(s.metadata).toEqual({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' });
    expect(s.type).toBe('bootstrap.kubernetes.io/token');
    expect(decode(s.data)).toEqual({
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      expiration: '2030-01-02T03:04:05Z',
      description: 'rack 4',
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': 'system:bootstrappers:bosun:default-node-token',
    });
    expect(tokenRow(s)).toEqual({
      id: 'abcdef',
      expiration: new Date('2030-01-02T03:04:05Z'),
      usages: ['authentication', 'signing'],
      description: 'rack 4',
      extraGroups: ['system:bootstrappers:bosun:default-node-token'],
    });
  });

  it('leaves out the expiration for a token that never expires, and ignores other Secrets', () => {
    const s = bootstrapSecret({ id: 'abcdef', secret: '0123456789abcdef' }, {});
    expect(decode(s.data).expiration).toBeUndefined();
    expect(tokenRow(s)?.expiration).toBeUndefined();
    expect(tokenRow({ ...s, type: 'Opaque' })).toBeUndefined();
    expect(tokenRow({ ...s, metadata: { name: 'bootstrap-token-zzzzzz' } })).toBeUndefined();
    expect(tokenRow({ ...s, data: undefined })).toBeUndefined();
  });
});
