import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caCertHash } from '../ca-pinning';
import { UsageError } from '../flags';
import type { Output } from '../output';
import { joinCommand, renderTokenList, token, tokenIdOf } from './token';

const capture = (): Output & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (l) => lines.push(l),
    error: (l) => errors.push(l),
    progress: () => undefined,
  };
};

describe('bosun token', () => {
  it('lists tokens with the time left, expiry, usages and description', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const text = renderTokenList(
      [
        {
          id: 'abcdef',
          expiration: new Date('2030-01-01T23:30:00Z'),
          usages: ['authentication', 'signing'],
          description: 'rack 4',
          extraGroups: ['system:bootstrappers:bosun:default-node-token'],
        },
        { id: 'ghijkl', usages: ['authentication'], description: '', extraGroups: [] },
        {
          id: 'mnopqr',
          expiration: new Date('2029-12-31T00:00:00Z'),
          usages: [],
          description: '',
          extraGroups: [],
        },
      ],
      now,
    );
    expect(text.split('\n')).toEqual([
      'ID       TTL         EXPIRES                USAGES                   DESCRIPTION   EXTRA GROUPS',
      'abcdef   23h         2030-01-01T23:30:00Z   authentication,signing   rack 4        system:bootstrappers:bosun:default-node-token',
      'ghijkl   <forever>   <never>                authentication           <none>        <none>',
      'mnopqr   <expired>   2029-12-31T00:00:00Z   <none>                   <none>        <none>',
    ]);
  });

  it('takes an id or a whole token to delete', () => {
    expect(tokenIdOf('abcdef')).toBe('abcdef');
    expect(tokenIdOf('abcdef.0123456789abcdef')).toBe('abcdef');
    expect(() => tokenIdOf('ABCDEF')).toThrow(UsageError);
    expect(() => tokenIdOf('abc')).toThrow(/not a bootstrap token id/);
  });

  it('prints the join command with the CA key hash openssl computes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-token-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/CN=test-ca',
          '-days',
          '1',
          '-keyout',
          join(dir, 'k'),
          '-out',
          join(dir, 'c'),
        ],
        { stdio: 'ignore' },
      );
      const pem = readFileSync(join(dir, 'c'), 'utf8');
      // kubeadm's documented recipe for the hash
      const expected = execFileSync('sh', [
        '-c',
        `openssl x509 -pubkey -in ${join(dir, 'c')} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`,
      ])
        .toString()
        .trim();
      expect(caCertHash(new X509Certificate(pem))).toBe(`sha256:${expected}`);
      expect(
        joinCommand(
          { server: 'https://10.0.0.1:6443', caPem: pem, namespace: 'default' },
          { id: 'abcdef', secret: '0123456789abcdef' },
        ),
      ).toBe(
        `bosun node join https://10.0.0.1:6443 --token abcdef.0123456789abcdef --ca-cert-hash sha256:${expected}`,
      );
      expect(() =>
        joinCommand(
          { server: 'https://x', namespace: 'default' },
          { id: 'abcdef', secret: '0123456789abcdef' },
        ),
      ).toThrow(/certificate-authority-data/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['create', '--nope'], 2, /unknown flag: --nope\nSee 'bosun token create --help' for usage\./],
    [['create', '--ttl', '1d'], 2, /invalid argument "1d" for "--ttl" flag/],
    [['create', 'extra'], 2, /unexpected argument "extra"/],
    [['delete'], 2, /missing the id/],
    [['frobnicate'], 2, /unknown command "frobnicate" for "bosun token"/],
  ])('%j exits %d before touching the cluster', async (args, code, message) => {
    const out = capture();
    expect(await token(args, { KUBECONFIG: '/nonexistent' }, out)).toBe(code);
    expect(out.errors.join('\n')).toMatch(message);
  });

  it('prints help with usage, flags and examples', async () => {
    const out = capture();
    expect(await token(['create', '--help'], {}, out)).toBe(0);
    const help = out.lines.join('\n');
    expect(help).toMatch(/Usage:\n {2}bosun token create/);
    expect(help).toMatch(/--print-join-command/);
    expect(help).toMatch(/Examples:/);
    const group = capture();
    expect(await token([], {}, group)).toBe(0);
    expect(group.lines.join('\n')).toMatch(/bosun token delete/);
  });

  it('names the kubeconfig it cannot use', async () => {
    const out = capture();
    expect(await token(['list'], { KUBECONFIG: '/nonexistent/kc' }, out)).toBe(1);
    expect(out.errors[0]).toMatch(/cannot use kubeconfig \/nonexistent\/kc/);
  });
});
