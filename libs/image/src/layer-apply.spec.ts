import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { imageErrorReason } from './image-error';
import { applyLayer } from './layer-apply';
import { rawTar, type RawTarEntry } from './testing/tar-entries';

describe('applyLayer', () => {
  let root: string;
  let outside: string;
  beforeEach(async () => {
    const base = await mkdtemp(join(tmpdir(), 'bosun-layer-spec-'));
    root = join(base, 'rootfs');
    outside = base;
  });
  afterEach(() => rm(outside, { recursive: true, force: true }));

  const apply = (entries: RawTarEntry[], gzip = false) => {
    const tar = rawTar(entries);
    return applyLayer(root, Readable.from([gzip ? gzipSync(tar) : tar]));
  };
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  const has = (p: string) => existsSync(join(root, p)) || isLink(join(root, p));

  it('writes files, directories, modes, symlinks and hardlinks from an uncompressed layer', async () => {
    await apply([
      { path: 'etc/', type: 'Directory', mode: 0o750 },
      { path: 'etc/hosts', content: '127.0.0.1 localhost\n', mode: 0o600 },
      { path: 'bin/tool', content: '#!/bin/sh\n', mode: 0o4755 },
      { path: 'etc/hosts.link', type: 'SymbolicLink', linkpath: '/etc/hosts' },
      { path: 'etc/hosts.hard', type: 'Link', linkpath: 'etc/hosts' },
    ]);
    expect(read('etc/hosts')).toBe('127.0.0.1 localhost\n');
    expect(statSync(join(root, 'etc')).mode & 0o7777).toBe(0o750);
    expect(statSync(join(root, 'etc/hosts')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(root, 'bin/tool')).mode & 0o7777).toBe(0o4755);
    expect(readlinkSync(join(root, 'etc/hosts.link'))).toBe('/etc/hosts');
    expect(statSync(join(root, 'etc/hosts.hard')).ino).toBe(statSync(join(root, 'etc/hosts')).ino);
  });

  it('reads gzip layers (detected by magic bytes)', async () => {
    await apply([{ path: './a/b.txt', content: 'zipped' }], true);
    expect(read('a/b.txt')).toBe('zipped');
  });

  it('honours .wh.<name> whiteouts against lower layers only', async () => {
    await apply([
      { path: 'keep.txt', content: 'k' },
      { path: 'gone.txt', content: 'g' },
      { path: 'dir/inner.txt', content: 'i' },
    ]);
    await apply([
      { path: '.wh.gone.txt', content: '' },
      { path: 'dir/.wh.inner.txt', content: '' },
      { path: 'new.txt', content: 'n' },
      { path: '.wh.new.txt', content: '' },
    ]);
    expect(has('keep.txt')).toBe(true);
    expect(has('gone.txt')).toBe(false);
    expect(has('dir/inner.txt')).toBe(false);
    expect(has('dir')).toBe(true);
    // A whiteout never hides a file of its own layer.
    expect(read('new.txt')).toBe('n');
    expect(has('.wh.gone.txt')).toBe(false);
  });

  it('empties opaque directories of lower content but keeps what the same layer wrote', async () => {
    await apply([
      { path: 'data/old1', content: '1' },
      { path: 'data/sub/old2', content: '2' },
      { path: 'other/stay', content: 's' },
    ]);
    await apply([
      { path: 'data/', type: 'Directory' },
      { path: 'data/fresh', content: 'f' },
      { path: 'data/.wh..wh..opq', content: '' },
    ]);
    expect(has('data/old1')).toBe(false);
    expect(has('data/sub')).toBe(false);
    expect(read('data/fresh')).toBe('f');
    expect(read('other/stay')).toBe('s');
    expect(has('data/.wh..wh..opq')).toBe(false);
  });

  it('replaces a lower file by a directory and a directory by a symlink', async () => {
    await apply([
      { path: 'x', content: 'file' },
      { path: 'y/z', content: 'deep' },
    ]);
    await apply([
      { path: 'x/', type: 'Directory' },
      { path: 'y', type: 'SymbolicLink', linkpath: 'x' },
    ]);
    expect(statSync(join(root, 'x')).isDirectory()).toBe(true);
    expect(readlinkSync(join(root, 'y'))).toBe('x');
  });

  it('rejects `..` entries (tar-slip) and writes nothing outside the root', async () => {
    const err = await apply([{ path: '../escaped.txt', content: 'pwned' }]).catch(
      (e: unknown) => e,
    );
    expect(imageErrorReason(err)).toBe('UnsafeLayer');
    expect(existsSync(join(outside, 'escaped.txt'))).toBe(false);
  });

  it('rejects hardlinks whose target climbs out of the root', async () => {
    const err = await apply([
      { path: 'passwd', type: 'Link', linkpath: '../../../etc/passwd' },
    ]).catch((e: unknown) => e);
    expect(imageErrorReason(err)).toBe('UnsafeLayer');
  });

  it('keeps writes through hostile symlinks inside the root, as a chroot would', async () => {
    await apply([
      { path: 'evil', type: 'SymbolicLink', linkpath: outside },
      { path: 'rel', type: 'SymbolicLink', linkpath: '../../../..' },
    ]);
    await apply([
      { path: 'evil/pwned', content: 'abs' },
      { path: 'rel/pwned2', content: 'rel' },
    ]);
    expect(existsSync(join(outside, 'pwned'))).toBe(false);
    expect(existsSync(join(outside, 'pwned2'))).toBe(false);
    // The absolute link target is read from the image root.
    expect(read(join(outside, 'pwned').slice(1))).toBe('abs');
    expect(read('pwned2')).toBe('rel');
  });

  it('accepts empty layers, plain or gzipped', async () => {
    await expect(applyLayer(root, Readable.from([Buffer.alloc(1024)]))).resolves.toBeUndefined();
    await expect(
      applyLayer(root, Readable.from([gzipSync(Buffer.alloc(1024))])),
    ).resolves.toBeUndefined();
  });

  it('fails with InvalidArchive on bytes that are not a tar', async () => {
    const err = await applyLayer(root, Readable.from([Buffer.from('not a tar at all')])).catch(
      (e: unknown) => e,
    );
    expect(imageErrorReason(err)).toBe('InvalidArchive');
  });
});

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
