import fc from 'fast-check';
import { isBosunError } from '@bosun/common';
import { formatReference, isLoopbackRegistry, parseReference, registryApiHost } from './reference';
import { imageErrorReason, kubernetesReason } from './image-error';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it.each([
    ['busybox', { registry: 'docker.io', repository: 'library/busybox', tag: 'latest' }],
    ['busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['docker.io/library/x:tag', { registry: 'docker.io', repository: 'library/x', tag: 'tag' }],
    [
      'index.docker.io/nginx',
      { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' },
    ],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis', tag: 'latest' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    [
      '127.0.0.1:5000/team/app:v1',
      { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v1' },
    ],
    [
      `host:5000/repo@${DIGEST}`,
      { registry: 'host:5000', repository: 'repo', tag: undefined, digest: DIGEST },
    ],
    [
      `ghcr.io/o/r:v2@${DIGEST}`,
      { registry: 'ghcr.io', repository: 'o/r', tag: 'v2', digest: DIGEST },
    ],
  ])('parses %s', (input, expected) => {
    expect(parseReference(input)).toEqual({ digest: undefined, ...expected });
  });

  it.each([
    '',
    'UPPER/case',
    'repo:',
    'repo@sha256:abc',
    'repo@md5:' + 'a'.repeat(32),
    'a//b',
    '-leading',
    'repo:bad tag',
    ':tag',
    'host:port:5000/x',
  ])('rejects %j as InvalidReference', (input) => {
    expect(() => parseReference(input)).toThrow(expect.objectContaining({ code: 'Invalid' }));
    try {
      parseReference(input);
    } catch (e) {
      expect(imageErrorReason(e)).toBe('InvalidReference');
      expect(kubernetesReason(e)).toBe('InvalidImageName');
    }
  });

  it('maps Docker Hub to its API host and knows loopback registries', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('registry.example.com')).toBe(false);
  });
});

describe('parseReference (fuzz)', () => {
  const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8}){0,2}$/);
  const host = fc.oneof(
    fc.constant('localhost'),
    // docker.io repositories get `library/` prepended, which the round trip below does not expect.
    fc.stringMatching(/^[a-z0-9]{1,10}\.[a-z]{2,5}$/).filter((h) => !h.endsWith('docker.io')),
    fc
      .tuple(
        fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?$/),
        fc.integer({ min: 1, max: 65535 }),
      )
      .map(([h, p]) => `${h}:${p}`),
  );
  const tag = fc.stringMatching(/^\w[\w.-]{0,20}$/);
  const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);

  it('round-trips every well-formed reference through format and parse', () => {
    fc.assert(
      fc.property(
        host,
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        fc.option(digest, { nil: undefined }),
        (h, path, t, d) => {
          const input = `${h}/${path.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`;
          const ref = parseReference(input);
          expect(ref.registry).toBe(h);
          expect(ref.repository).toBe(path.join('/'));
          expect(ref.digest).toBe(d);
          expect(ref.tag).toBe(t ?? (d ? undefined : 'latest'));
          expect(parseReference(formatReference(ref))).toEqual(ref);
        },
      ),
    );
  });

  it('never throws anything but an InvalidReference BosunError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
          const ref = parseReference(s);
          expect(parseReference(formatReference(ref))).toEqual(ref);
        } catch (e) {
          expect(isBosunError(e, 'Invalid')).toBe(true);
          expect(imageErrorReason(e)).toBe('InvalidReference');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
