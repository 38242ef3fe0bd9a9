import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';
import { digestHex, sha256Digest } from '../digest';
import { MediaType, hostPlatform, type Descriptor } from '../manifest';
import { testToolPath } from './test-tools';

export type TestFile =
  string | Buffer | { readonly content: string | Buffer; readonly mode: number };

export interface TestLayer {
  /** Path (relative to the image root) -> content. */
  readonly files?: Readonly<Record<string, TestFile>>;
  /** Path -> link target. */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** Paths this layer deletes from lower layers (written as `.wh.<name>`). */
  readonly whiteouts?: readonly string[];
  /** Directories this layer makes opaque (written as `<dir>/.wh..wh..opq`). */
  readonly opaqueDirs?: readonly string[];
}

export interface BuildTestImageOptions {
  /** Files of the first layer, next to /bin/busybox and its applet links. */
  readonly files?: Readonly<Record<string, TestFile>>;
  /** More layers on top of the first. */
  readonly layers?: readonly TestLayer[];
  /** Tag recorded in index.json (`org.opencontainers.image.ref.name`); default `latest`. */
  readonly tag?: string;
  readonly cmd?: readonly string[];
  /** gzip the layers (default true). */
  readonly gzip?: boolean;
  /** Put busybox-static in the first layer (default true). */
  readonly busybox?: boolean;
}

export interface TestImage {
  readonly dir: string;
  readonly tag: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layers: readonly Descriptor[];
  readonly diffIds: readonly string[];
}

const BUSYBOX_APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'true', 'false', 'env', 'id', 'wget'];

/**
 * Writes an OCI image layout at `dir`: a first layer with busybox (from busybox-static) and
 * `files`, any further `layers` (with whiteouts), a config and a manifest, all with computed
 * digests. Push it with `skopeoCopy('oci:<dir>:<tag>', 'docker://…')` or load it directly.
 */
export async function buildTestImage(
  dir: string,
  options: BuildTestImageOptions = {},
): Promise<TestImage> {
  const tag = options.tag ?? 'latest';
  const gzip = options.gzip ?? true;
  const first: TestLayer = { files: options.files };
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const [i, layer] of [first, ...(options.layers ?? [])].entries()) {
    const tarBytes = await layerTar(layer, i === 0 && (options.busybox ?? true));
    diffIds.push(sha256Digest(tarBytes));
    const blob = gzip ? gzipSync(tarBytes) : tarBytes;
    layers.push({
      mediaType: gzip ? MediaType.OciLayerGzip : MediaType.OciLayer,
      digest: await writeBlob(blobs, blob),
      size: blob.length,
    });
  }
  const platform = hostPlatform();
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      config: { Env: ['PATH=/bin:/usr/bin'], Cmd: options.cmd ?? ['/bin/sh'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
  const configDesc = {
    mediaType: MediaType.OciConfig,
    digest: await writeBlob(blobs, config),
    size: config.length,
  };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: configDesc,
      layers,
    }),
  );
  const manifestDigest = await writeBlob(blobs, manifest);
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: [
      {
        mediaType: MediaType.OciManifest,
        digest: manifestDigest,
        size: manifest.length,
        annotations: { 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir, tag, manifestDigest, configDigest: configDesc.digest, layers, diffIds };
}

async function writeBlob(blobs: string, data: Buffer): Promise<string> {
  const digest = sha256Digest(data);
  await writeFile(join(blobs, digestHex(digest)), data);
  return digest;
}

/** Builds one layer's uncompressed tar from a staging directory written by hand. */
async function layerTar(layer: TestLayer, withBusybox: boolean): Promise<Buffer> {
  const staging = await mkdtemp(join(tmpdir(), 'bosun-layer-'));
  try {
    if (withBusybox) await addBusybox(staging);
    for (const [path, file] of Object.entries(layer.files ?? {})) {
      const target = join(staging, path);
      await mkdir(dirname(target), { recursive: true });
      const content = typeof file === 'string' || Buffer.isBuffer(file) ? file : file.content;
      const mode = typeof file === 'string' || Buffer.isBuffer(file) ? 0o644 : file.mode;
      await writeFile(target, content);
      await chmod(target, mode);
    }
    for (const [path, target] of Object.entries(layer.symlinks ?? {})) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await symlink(target, join(staging, path));
    }
    for (const path of layer.whiteouts ?? []) {
      const target = join(staging, dirname(path), `.wh.${path.split('/').pop()}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, '');
    }
    for (const path of layer.opaqueDirs ?? []) {
      await mkdir(join(staging, path), { recursive: true });
      await writeFile(join(staging, path, '.wh..wh..opq'), '');
    }
    const entries = await readdir(staging);
    // An empty layer is still a valid tar: two zero blocks.
    if (entries.length === 0) return Buffer.alloc(1024);
    const chunks: Buffer[] = [];
    const stream = create({ cwd: staging, portable: true }, entries);
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function addBusybox(staging: string): Promise<void> {
  const busybox = testToolPath('busybox');
  if (!busybox) throw new Error('busybox is not installed (Debian package: busybox-static)');
  await mkdir(join(staging, 'bin'), { recursive: true });
  await copyFile(busybox, join(staging, 'bin', 'busybox'));
  await chmod(join(staging, 'bin', 'busybox'), 0o755);
  for (const applet of BUSYBOX_APPLETS) await symlink('busybox', join(staging, 'bin', applet));
}
