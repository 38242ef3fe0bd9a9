import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadImageArchive } from './archive-loader';
import { digestHex } from './digest';
import { imageErrorReason, kubernetesReason } from './image-error';
import { pullImage } from './image-puller';
import { ImageStore } from './image-store';
import { RegistryClient } from './registry-client';
import { buildTestImage, type TestImage } from './testing/build-test-image';
import { startTestRegistry, type TestRegistry } from './testing/test-registry';
import { missingTestTools, skopeoCopy } from './testing/test-tools';

const run = promisify(execFile);
const missing = missingTestTools('registry', 'skopeo', 'busybox');
const itInt = missing.length > 0 ? it.skip : it;
const AUTH = { username: 'bosun', password: 's3cret-pass' };

describe('images through a real docker-registry and skopeo (integration)', () => {
  if (missing.length > 0) {
    it.skip(`SKIPPED: missing ${missing.join(', ')} (Debian packages docker-registry, skopeo, busybox-static)`, () =>
      undefined);
    return;
  }
  let work: string;
  let image: TestImage;
  let registry: TestRegistry;
  let store: ImageStore;
  const reasonOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => imageErrorReason(e),
    );

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bosun-image-int-'));
    image = await buildTestImage(join(work, 'layout'), {
      tag: 'v1',
      files: { 'etc/motd': 'welcome\n', 'tmp/scratch': 'deleted by layer 2' },
      layers: [{ whiteouts: ['tmp/scratch'], files: { 'etc/release': 'two\n' } }],
    });
    registry = await startTestRegistry();
    await skopeoCopy(`oci:${image.dir}:v1`, `docker://${registry.host}/bosun/tiny:v1`);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await ImageStore.open(await mkdtemp(join(work, 'store-')));
  });

  itInt(
    'pulls a pushed image, verifies it and unpacks a runnable rootfs with the whiteout applied',
    async () => {
      const record = await pullImage(store, new RegistryClient(), `${registry.host}/bosun/tiny:v1`);
      expect(record.configDigest).toBe(image.configDigest);
      expect(record.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
      const rootfs = await store.ensureRootfs(record);
      expect(statSync(join(rootfs, 'bin/busybox')).mode & 0o111).not.toBe(0);
      expect(readlinkSync(join(rootfs, 'bin/sh'))).toBe('busybox');
      expect(readFileSync(join(rootfs, 'etc/motd'), 'utf8')).toBe('welcome\n');
      expect(readFileSync(join(rootfs, 'etc/release'), 'utf8')).toBe('two\n');
      expect(existsSync(join(rootfs, 'tmp/scratch'))).toBe(false);
      const { stdout } = await run(join(rootfs, 'bin/busybox'), ['cat', join(rootfs, 'etc/motd')]);
      expect(stdout).toBe('welcome\n');
    },
  );

  itInt(
    'answers NotFound (ErrImagePull) for an unknown tag and an unknown repository',
    async () => {
      for (const ref of [`${registry.host}/bosun/tiny:nope`, `${registry.host}/bosun/absent:v1`]) {
        const err = await pullImage(store, new RegistryClient(), ref).catch((e: unknown) => e);
        expect(imageErrorReason(err)).toBe('NotFound');
        expect(kubernetesReason(err)).toBe('ErrImagePull');
      }
    },
  );

  itInt(
    'fails a blob corrupted in the registry with DigestMismatch and stores nothing',
    async () => {
      const victim = await buildTestImage(join(work, 'victim'), {
        tag: 'v1',
        busybox: false,
        files: { 'only-here': 'x' },
      });
      await skopeoCopy(`oci:${victim.dir}:v1`, `docker://${registry.host}/bosun/victim:v1`);
      const layer = victim.layers[0]!.digest;
      const hex = digestHex(layer);
      const data = join(
        registry.storageDir,
        'docker/registry/v2/blobs/sha256',
        hex.slice(0, 2),
        hex,
        'data',
      );
      const bytes = readFileSync(data);
      bytes[bytes.length - 1]! ^= 0xff;
      writeFileSync(data, bytes);
      expect(
        await reasonOf(pullImage(store, new RegistryClient(), `${registry.host}/bosun/victim:v1`)),
      ).toBe('DigestMismatch');
      expect(await store.blobs.has(layer)).toBe(false);
      expect(await store.listImages()).toEqual([]);
      expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
    },
    60_000,
  );

  itInt(
    'loads a docker-save archive made by skopeo and unpacks it',
    async () => {
      const archive = join(work, 'tiny-docker.tar');
      await skopeoCopy(`oci:${image.dir}:v1`, `docker-archive:${archive}:bosun/tiny:v1`);
      const [record] = await loadImageArchive(store, archive);
      expect(record!.reference).toBe('docker.io/bosun/tiny:v1');
      expect(record!.configDigest).toBe(image.configDigest);
      expect(await store.getImage('bosun/tiny:v1')).toEqual(record);
      const rootfs = await store.ensureRootfs(record!);
      expect(lstatSync(join(rootfs, 'bin/busybox')).isFile()).toBe(true);
      expect(existsSync(join(rootfs, 'tmp/scratch'))).toBe(false);
    },
    60_000,
  );

  describe('with bearer-token auth (token server, registry trusting its certificate)', () => {
    const noOpenssl = missingTestTools('openssl').length > 0;
    const itToken = noOpenssl ? it.skip : it;
    let secured: TestRegistry | undefined;
    beforeAll(async () => {
      if (noOpenssl) return;
      secured = await startTestRegistry({ tokenAuth: AUTH });
      await skopeoCopy(`oci:${image.dir}:v1`, `docker://${secured.host}/bosun/tiny:v1`, [
        `--dest-creds=${AUTH.username}:${AUTH.password}`,
      ]);
    }, 120_000);
    afterAll(() => secured?.stop());
    if (noOpenssl)
      it.skip('SKIPPED: bearer-token registry needs openssl (Debian package openssl)', () =>
        undefined);

    itToken(
      'pulls with a token fetched from the challenge realm with Basic credentials',
      async () => {
        const client = new RegistryClient({ credentials: { [secured!.host]: AUTH } });
        const record = await pullImage(store, client, `${secured!.host}/bosun/tiny:v1`);
        expect(record.configDigest).toBe(image.configDigest);
      },
    );

    itToken('answers Unauthorized when the token server refuses', async () => {
      const ref = `${secured!.host}/bosun/tiny:v1`;
      expect(await reasonOf(pullImage(store, new RegistryClient(), ref))).toBe('Unauthorized');
      const wrong = new RegistryClient({
        credentials: { [secured!.host]: { ...AUTH, password: 'wrong' } },
      });
      expect(await reasonOf(pullImage(store, wrong, ref))).toBe('Unauthorized');
    });
  });

  describe('with htpasswd Basic auth', () => {
    let secured: TestRegistry;
    beforeAll(async () => {
      secured = await startTestRegistry({ auth: AUTH });
      await skopeoCopy(`oci:${image.dir}:v1`, `docker://${secured.host}/bosun/tiny:v1`, [
        `--dest-creds=${AUTH.username}:${AUTH.password}`,
      ]);
    }, 120_000);
    afterAll(() => secured?.stop());

    itInt('pulls with the right credentials', async () => {
      const client = new RegistryClient({ credentials: { [secured.host]: AUTH } });
      const record = await pullImage(store, client, `${secured.host}/bosun/tiny:v1`);
      expect(record.configDigest).toBe(image.configDigest);
    });

    itInt('answers Unauthorized without or with wrong credentials', async () => {
      const ref = `${secured.host}/bosun/tiny:v1`;
      expect(await reasonOf(pullImage(store, new RegistryClient(), ref))).toBe('Unauthorized');
      const wrong = new RegistryClient({
        credentials: { [secured.host]: { ...AUTH, password: 'wrong' } },
      });
      expect(await reasonOf(pullImage(store, wrong, ref))).toBe('Unauthorized');
    });
  });
});
