import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadImageDirectory } from './archive-loader';
import { sha256Digest } from './digest';
import { imageErrorReason } from './image-error';
import { ImageStore } from './image-store';
import { buildTestImage, type TestImage } from './testing/build-test-image';

describe('ImageStore', () => {
  let work: string;
  let image: TestImage;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bosun-store-spec-'));
    image = await buildTestImage(join(work, 'layout'), {
      busybox: false,
      tag: '1.0',
      files: { 'hello.txt': 'hi' },
    });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));
  const fresh = async () => ImageStore.open(await mkdtemp(join(work, 'store-')));

  it('wipes leftovers of a crash in tmp/ when opened', async () => {
    const store = await fresh();
    await mkdir(join(store.root, 'tmp', 'rootfs.half-done'), { recursive: true });
    await writeFile(join(store.root, 'tmp', 'blob.partial'), 'x');
    await ImageStore.open(store.root);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('stores a blob under its digest only when the bytes match', async () => {
    const store = await fresh();
    const data = Buffer.from('some bytes');
    const digest = sha256Digest(data);
    const bad = await store.blobs
      .put(digest, Readable.from([Buffer.from('other bytes')]))
      .catch((e: unknown) => e);
    expect(imageErrorReason(bad)).toBe('DigestMismatch');
    expect(await store.blobs.has(digest)).toBe(false);
    await store.blobs.put(digest, Readable.from([data]), data.length);
    expect(await store.blobs.read(digest)).toEqual(data);

    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('finds records by any spelling of the reference and by digest', async () => {
    const store = await fresh();
    const [record] = await loadImageDirectory(store, image.dir, { name: 'busybox' });
    expect(record!.reference).toBe('docker.io/library/busybox:1.0');
    expect(await store.getImage('busybox:1.0')).toEqual(record);
    expect(await store.getImage('docker.io/library/busybox:1.0')).toEqual(record);
    expect(await store.getImage(`busybox@${image.manifestDigest}`)).toEqual(record);
    expect(await store.getImage('busybox:2.0')).toBeUndefined();
  });

  it('builds one rootfs per image even when asked concurrently', async () => {
    const store = await fresh();
    const [record] = await loadImageDirectory(store, image.dir, { name: 'busybox' });
    const [a, b] = await Promise.all([store.ensureRootfs(record!), store.ensureRootfs(record!)]);
    expect(a).toBe(b);
    expect(existsSync(join(a, 'hello.txt'))).toBe(true);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('refuses a size that does not match the announced one', async () => {
    const store = await fresh();
    const data = Buffer.from('sized');
    const err = await store.blobs
      .put(sha256Digest(data), Readable.from([data]), 4)
      .catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('DigestMismatch');
    expect(await store.blobs.has(sha256Digest(data))).toBe(false);
  });

  it('answers NotFound when a layer of the image is missing from the store', async () => {
    const store = await fresh();
    const [record] = await loadImageDirectory(store, image.dir, { name: 'busybox' });
    await rm(store.blobs.path(record!.layers[0]!.digest));
    const err = await store.ensureRootfs(record!).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('NotFound');
  });

  it('garbage-collects blobs and rootfs of removed images', async () => {
    const store = await fresh();
    const [record] = await loadImageDirectory(store, image.dir, { name: 'busybox' });
    const rootfs = await store.ensureRootfs(record!);
    expect(await store.garbageCollect()).toBe(0);
    expect(await store.removeImage('busybox:1.0')).toBe(true);
    expect(await store.garbageCollect()).toBe(3 + image.layers.length); // manifest, config, layers, rootfs;
    expect(existsSync(rootfs)).toBe(false);
    expect(await store.blobs.has(record!.configDigest)).toBe(false);
  });
});
