import { imageErrorReason } from './image-error';
import { RegistryClient } from './registry-client';
import { MediaType, parseManifest, selectPlatform, type ImageIndex } from './manifest';
import { parseChallenge } from './registry-auth';
import { defaultPullPolicy, mustPull } from './pull-policy';
import { parseReference } from './reference';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseManifest', () => {
  it('reads Docker v2 manifests and manifest lists by their inline media type', () => {
    const m = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MediaType.DockerManifest,
        config: { mediaType: MediaType.DockerConfig, digest: d('a'), size: 10 },
        layers: [{ mediaType: MediaType.DockerLayerGzip, digest: d('b'), size: 20 }],
      }),
    );
    expect(m).toMatchObject({ kind: 'manifest', config: { digest: d('a') } });
    const l = parseManifest(
      json({ schemaVersion: 2, mediaType: MediaType.DockerManifestList, manifests: [] }),
    );
    expect(l.kind).toBe('index');
  });

  it('takes the media type from Content-Type when the body has none', () => {
    const m = parseManifest(
      json({ schemaVersion: 2, manifests: [] }),
      `${MediaType.OciIndex}; charset=utf-8`,
    );
    expect(m.kind).toBe('index');
  });

  it.each([
    ['not JSON', Buffer.from('{'), 'InvalidManifest'],
    [
      'schema 1',
      json({
        schemaVersion: 1,
        mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
      }),
      'UnsupportedMediaType',
    ],
    [
      'bad digest',
      json({
        mediaType: MediaType.OciManifest,
        config: { mediaType: 'x', digest: 'md5:1', size: 1 },
        layers: [],
      }),
      'InvalidManifest',
    ],
    [
      'zstd layer',
      json({
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciConfig, digest: d('a'), size: 1 },
        layers: [{ mediaType: MediaType.OciLayerZstd, digest: d('b'), size: 1 }],
      }),
      'UnsupportedMediaType',
    ],
  ])('rejects %s', (_what, body, reason) => {
    let err: unknown;
    try {
      parseManifest(body);
    } catch (e) {
      err = e;
    }
    expect(imageErrorReason(err)).toBe(reason);
  });
});

describe('selectPlatform', () => {
  const index: ImageIndex = {
    kind: 'index',
    mediaType: MediaType.OciIndex,
    manifests: [
      {
        mediaType: MediaType.OciManifest,
        digest: d('1'),
        size: 1,
        platform: { os: 'unknown', architecture: 'unknown' },
      },
      {
        mediaType: MediaType.OciManifest,
        digest: d('2'),
        size: 1,
        platform: { os: 'linux', architecture: 'arm', variant: 'v6' },
      },
      {
        mediaType: MediaType.OciManifest,
        digest: d('3'),
        size: 1,
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      },
      {
        mediaType: MediaType.OciManifest,
        digest: d('4'),
        size: 1,
        platform: { os: 'linux', architecture: 'amd64' },
      },
    ],
  };
  it('matches os and architecture, preferring the exact variant', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' }).digest).toBe(d('4'));
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest).toBe(
      d('3'),
    );
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm' }).digest).toBe(d('2'));
  });
  it('fails with NoMatchingPlatform otherwise', () => {
    expect(() => selectPlatform(index, { os: 'windows', architecture: 'amd64' })).toThrow(
      /no manifest for platform/,
    );
  });
});

describe('parseChallenge', () => {
  it('reads quoted and bare parameters', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull,push',
      },
    });
    expect(parseChallenge('Basic realm=reg')).toEqual({
      scheme: 'basic',
      params: { realm: 'reg' },
    });
  });
});

describe('pull policy', () => {
  it('defaults to Always for latest and IfNotPresent for pinned tags and digests', () => {
    expect(defaultPullPolicy(parseReference('busybox'))).toBe('Always');
    expect(defaultPullPolicy(parseReference('busybox:latest'))).toBe('Always');
    expect(defaultPullPolicy(parseReference('busybox:1.36'))).toBe('IfNotPresent');
    expect(defaultPullPolicy(parseReference(`busybox@${d('a')}`))).toBe('IfNotPresent');
  });
  it('decides per policy and presence', () => {
    expect(mustPull('Always', true, 'x')).toBe(true);
    expect(mustPull('IfNotPresent', true, 'x')).toBe(false);
    expect(mustPull('IfNotPresent', false, 'x')).toBe(true);
    expect(mustPull('Never', true, 'x')).toBe(false);
    expect(() => mustPull('Never', false, 'x')).toThrow(/not present with pull policy of Never/);
  });
});

describe('RegistryClient endpoints', () => {
  it('uses https except for loopback and configured insecure registries, and Docker Hub’s API host', () => {
    const client = new RegistryClient({ insecureRegistries: ['registry.lan:5000'] });
    expect(client.baseUrl('ghcr.io')).toBe('https://ghcr.io/v2/');
    expect(client.baseUrl('docker.io')).toBe('https://registry-1.docker.io/v2/');
    expect(client.baseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000/v2/');
    expect(client.baseUrl('localhost:5000')).toBe('http://localhost:5000/v2/');
    expect(client.baseUrl('registry.lan:5000')).toBe('http://registry.lan:5000/v2/');
  });
});
