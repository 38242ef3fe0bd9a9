import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { loadImageArchive } from './archive-loader';
import { digestHex } from './digest';
import { imageErrorReason } from './image-error';
import { ImageStore } from './image-store';
import { buildTestImage, type TestImage } from './testing/build-test-image';

describe('loadImageArchive (OCI image layout)', () => {
  let work: string;
  let image: TestImage;
  let archive: string;
  let store: ImageStore;

  const tarDir = async (dir: string, file: string) => {
    await create({ cwd: dir, file, portable: true }, ['.']);
    return file;
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bosun-load-spec-'));
    image = await buildTestImage(join(work, 'layout'), {
      busybox: false,
      tag: 'v3',
      gzip: false,
      files: { 'srv/index.html': '<h1>hi</h1>', 'srv/old.html': 'old' },
      layers: [{ whiteouts: ['srv/old.html'] }],
    });
    archive = await tarDir(image.dir, join(work, 'image.tar'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));
  beforeEach(async () => {
    store = await ImageStore.open(await mkdtemp(join(work, 'store-')));
  });

  it('loads a tagged layout under the given name and unpacks it', async () => {
    const [record] = await loadImageArchive(store, archive, { name: 'registry.local/web' });
    expect(record).toMatchObject({
      reference: 'registry.local/web:v3',
      manifestDigest: image.manifestDigest,
      configDigest: image.configDigest,
    });
    expect(await store.getImage('registry.local/web:v3')).toEqual(record);
    const rootfs = await store.ensureRootfs(record!);
    expect(readFileSync(join(rootfs, 'srv/index.html'), 'utf8')).toBe('<h1>hi</h1>');
    expect(existsSync(join(rootfs, 'srv/old.html'))).toBe(false);
  });

  it('needs a name when the layout only carries a tag', async () => {
    const err = await loadImageArchive(store, archive).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('InvalidArchive');
  });

  it('refuses a layout whose blob does not match its digest and stores no record', async () => {
    const copy = join(work, 'corrupt-layout');
    await buildTestImage(copy, { busybox: false, tag: 'v1', files: { a: 'a' } }).then(
      async (img) => {
        await writeFile(
          join(copy, 'blobs', 'sha256', digestHex(img.layers[0]!.digest)),
          'tampered',
        );
      },
    );
    const err = await loadImageArchive(store, await tarDir(copy, join(work, 'corrupt.tar')), {
      name: 'x/y',
    }).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('DigestMismatch');
    expect(await store.listImages()).toEqual([]);
  });

  it('refuses a docker-save archive whose config is a symlink out of the archive', async () => {
    const evil = join(work, 'evil-save');
    await mkdir(evil, { recursive: true });
    await writeFile(
      join(evil, 'manifest.json'),
      JSON.stringify([{ Config: 'c.json', RepoTags: ['x:1'], Layers: [] }]),
    );
    await symlink('/etc/hostname', join(evil, 'c.json'));
    const err = await loadImageArchive(store, await tarDir(evil, join(work, 'evil.tar'))).catch(
      (e: unknown) => e,
    );
    expect(imageErrorReason(err)).toBe('InvalidArchive');
    expect(await store.listImages()).toEqual([]);
  });

  it('loads all or nothing: a bad second image leaves no blob and no record of the first', async () => {
    const two = join(work, 'two-images');
    await buildTestImage(two, { busybox: false, tag: 'v1', files: { good: 'good' } });
    // A second index entry whose manifest blob is missing: the first image verified fine.
    const indexPath = join(two, 'index.json');
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as {
      manifests: { digest: string; annotations?: Record<string, string> }[];
    };
    index.manifests.push({
      ...index.manifests[0]!,
      digest: `sha256:${'1'.repeat(64)}`,
      annotations: { 'org.opencontainers.image.ref.name': 'v2' },
    });
    await writeFile(indexPath, JSON.stringify(index));
    const err = await loadImageArchive(store, await tarDir(two, join(work, 'two.tar')), {
      name: 'x/two',
    }).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('InvalidArchive');
    expect(await store.listImages()).toEqual([]);
    expect(await readdir(join(store.root, 'blobs', 'sha256'))).toEqual([]);
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it('rejects a file that is neither layout nor docker save', async () => {
    const junk = join(work, 'junk');
    await buildTestImage(junk, { busybox: false });
    await rm(join(junk, 'oci-layout'));
    const err = await loadImageArchive(store, await tarDir(junk, join(work, 'junk.tar'))).catch(
      (e: unknown) => e,
    );
    expect(imageErrorReason(err)).toBe('InvalidArchive');
  });
});
