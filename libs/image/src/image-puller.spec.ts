import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageErrorReason, kubernetesReason } from './image-error';
import { ensureImage, pullImage } from './image-puller';
import { ImageStore } from './image-store';
import { MediaType } from './manifest';
import { RegistryClient } from './registry-client';
import { buildTestImage, type TestImage } from './testing/build-test-image';
import { startFakeRegistry, type FakeRegistry } from './testing/fake-registry';
import { freePort } from './testing/free-port';

const AMD64 = { os: 'linux', architecture: 'amd64' };

describe('pullImage against an in-process registry', () => {
  let work: string;
  let image: TestImage;
  let registry: FakeRegistry | undefined;
  let store: ImageStore;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bosun-pull-spec-'));
    image = await buildTestImage(join(work, 'layout'), {
      busybox: false,
      tag: 'v1',
      files: {
        'etc/motd': 'hello\n',
        'tmp/scratch': 'to delete',
        'app/run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
      },
      layers: [{ whiteouts: ['tmp/scratch'], files: { 'etc/version': '2\n' } }],
    });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));
  beforeEach(async () => {
    store = await ImageStore.open(await mkdtemp(join(work, 'store-')));
  });
  afterEach(async () => {
    await registry?.stop();
    registry = undefined;
  });

  const serve = async (extra: Partial<Parameters<typeof startFakeRegistry>[0]> = {}) => {
    registry = await startFakeRegistry({ repositories: { 'team/app': image.dir }, ...extra });
    return registry;
  };
  const reasonOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => imageErrorReason(e),
    );

  it('pulls by tag, verifies and stores every blob, and unpacks a rootfs honouring whiteouts', async () => {
    const r = await serve();
    const record = await pullImage(store, new RegistryClient(), `${r.host}/team/app:v1`);
    expect(record).toMatchObject({
      reference: `${r.host}/team/app:v1`,
      manifestDigest: image.manifestDigest,
      configDigest: image.configDigest,
    });
    expect(record.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    for (const d of [
      image.manifestDigest,
      image.configDigest,
      ...image.layers.map((l) => l.digest),
    ]) {
      expect(await store.blobs.has(d)).toBe(true);
    }
    const rootfs = await store.ensureRootfs(record);
    expect(readFileSync(join(rootfs, 'etc/motd'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(rootfs, 'etc/version'), 'utf8')).toBe('2\n');
    expect(existsSync(join(rootfs, 'tmp/scratch'))).toBe(false);
    expect((await store.imageConfig(record)).rootfs?.diff_ids).toEqual(image.diffIds);
    expect(await store.getImage(`${r.host}/team/app@${image.manifestDigest}`)).toEqual(record);
  });

  it('does not fetch blobs the store already has', async () => {
    const r = await serve();
    await pullImage(store, new RegistryClient(), `${r.host}/team/app:v1`);
    r.requests.length = 0;
    await pullImage(store, new RegistryClient(), `${r.host}/team/app:v1`);
    expect(r.requests.filter((p) => p.includes('/blobs/'))).toEqual([]);
    expect(r.requests.filter((p) => p.includes('/manifests/')).length).toBe(1);
  });

  it('pulls by digest', async () => {
    const r = await serve();
    const record = await pullImage(
      store,
      new RegistryClient(),
      `${r.host}/team/app@${image.manifestDigest}`,
    );
    expect(record.manifestDigest).toBe(image.manifestDigest);
  });

  it('authenticates with a bearer token fetched with Basic credentials from the challenge realm', async () => {
    const r = await serve({ auth: { scheme: 'bearer', username: 'u', password: 'p' } });
    const ok = new RegistryClient({ credentials: { [r.host]: { username: 'u', password: 'p' } } });
    expect((await pullImage(store, ok, `${r.host}/team/app:v1`)).manifestDigest).toBe(
      image.manifestDigest,
    );
    expect(r.requests.filter((p) => p.startsWith('/token')).length).toBe(1);
    const wrong = new RegistryClient({
      credentials: { [r.host]: { username: 'u', password: 'nope' } },
    });
    const err = await pullImage(store, wrong, `${r.host}/team/app:v1`).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('Unauthorized');
    expect(kubernetesReason(err)).toBe('ErrImagePull');
  });

  it('follows blob redirects to another origin without leaking the registry token there', async () => {
    const seen: (string | undefined)[] = [];
    const cdn = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const hex = (req.url ?? '').split('sha256:')[1] ?? '';
      readFile(join(image.dir, 'blobs', 'sha256', hex)).then(
        (body) => res.end(body),
        () => {
          res.statusCode = 404;
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    try {
      const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/blobs`;
      const r = await serve({
        auth: { scheme: 'bearer', username: 'u', password: 'p' },
        blobRedirect: cdnUrl,
      });
      const client = new RegistryClient({
        credentials: { [r.host]: { username: 'u', password: 'p' } },
      });
      const record = await pullImage(store, client, `${r.host}/team/app:v1`);
      expect(record.configDigest).toBe(image.configDigest);
      expect(seen.length).toBe(1 + image.layers.length);
      expect(seen.every((a) => a === undefined)).toBe(true);
    } finally {
      cdn.closeAllConnections();
      await new Promise((resolve) => cdn.close(resolve));
    }
  });

  it('authenticates with Basic auth and refuses without credentials', async () => {
    const r = await serve({ auth: { scheme: 'basic', username: 'u', password: 'p' } });
    const ok = new RegistryClient({ credentials: { [r.host]: { username: 'u', password: 'p' } } });
    expect((await pullImage(store, ok, `${r.host}/team/app:v1`)).configDigest).toBe(
      image.configDigest,
    );
    expect(await reasonOf(pullImage(store, new RegistryClient(), `${r.host}/team/app:v1`))).toBe(
      'Unauthorized',
    );
  });

  it('fails a corrupt layer with DigestMismatch and stores neither the blob nor a record', async () => {
    const bad = image.layers[1]!.digest;
    const r = await serve({ corrupt: [bad] });
    expect(await reasonOf(pullImage(store, new RegistryClient(), `${r.host}/team/app:v1`))).toBe(
      'DigestMismatch',
    );
    expect(await store.blobs.has(bad)).toBe(false);
    expect(await store.listImages()).toEqual([]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('answers NotFound for an unknown tag or repository', async () => {
    const r = await serve();
    expect(await reasonOf(pullImage(store, new RegistryClient(), `${r.host}/team/app:nope`))).toBe(
      'NotFound',
    );
    expect(await reasonOf(pullImage(store, new RegistryClient(), `${r.host}/team/other:v1`))).toBe(
      'NotFound',
    );
  });

  it('answers Unreachable when nothing listens', async () => {
    const port = await freePort();
    const err = await pullImage(store, new RegistryClient(), `127.0.0.1:${port}/x:v1`).catch(
      (e: unknown) => e,
    );
    expect(imageErrorReason(err)).toBe('Unreachable');
    expect(err).toMatchObject({ retryable: true });
  });

  it('resolves an index to the manifest of the requested platform', async () => {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: [
          {
            mediaType: MediaType.OciManifest,
            digest: `sha256:${'0'.repeat(64)}`,
            size: 1,
            platform: { os: 'linux', architecture: 's390x' },
          },
          {
            mediaType: MediaType.OciManifest,
            digest: image.manifestDigest,
            size: 1,
            platform: AMD64,
          },
        ],
      }),
    );
    const r = await serve({
      extraManifests: { multi: { mediaType: MediaType.OciIndex, body: index } },
    });
    const record = await pullImage(store, new RegistryClient(), `${r.host}/team/app:multi`, {
      platform: AMD64,
    });
    expect(record.manifestDigest).toBe(image.manifestDigest);
    expect(record.platform).toEqual(AMD64);
    expect(record.indexDigest).toMatch(/^sha256:/);
    const arm = pullImage(store, new RegistryClient(), `${r.host}/team/app:multi`, {
      platform: { os: 'linux', architecture: 'arm64' },
    });
    expect(await reasonOf(arm)).toBe('NoMatchingPlatform');
  });

  it('applies pull policies: IfNotPresent reuses, Always re-resolves, Never fails when absent', async () => {
    const r = await serve();
    const client = new RegistryClient();
    const ref = `${r.host}/team/app:v1`;
    const never = await ensureImage(store, client, ref, 'Never').catch((e: unknown) => e);
    expect(imageErrorReason(never)).toBe('NeverPull');
    expect(kubernetesReason(never)).toBe('ErrImageNeverPull');
    expect((await ensureImage(store, client, ref, 'IfNotPresent')).pulled).toBe(true);
    r.requests.length = 0;
    expect((await ensureImage(store, client, ref, 'IfNotPresent')).pulled).toBe(false);
    expect((await ensureImage(store, client, ref, 'Never')).pulled).toBe(false);
    expect(r.requests).toEqual([]);
    expect((await ensureImage(store, client, ref, 'Always')).pulled).toBe(true);
    expect(r.requests.length).toBe(1);
  });
});
