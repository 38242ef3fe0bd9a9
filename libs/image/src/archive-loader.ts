import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, realpath, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar';
import { digestHex, sha256Digest, verifyBuffer } from './digest';
import { ImageErrorReason, imageError } from './image-error';
import type { ImageConfig, ImageRecord } from './image-record';
import type { ImageStore } from './image-store';
import {
  MediaType,
  hostPlatform,
  parseManifest,
  selectPlatform,
  type Descriptor,
  type Platform,
} from './manifest';
import { formatReference, parseReference } from './reference';

export interface LoadOptions {
  /**
   * Repository name (`registry/repo`) for OCI layouts whose entries name only a tag
   * (`org.opencontainers.image.ref.name: v1`) or nothing at all (then `name@digest`).
   */
  readonly name?: string;
  readonly platform?: Platform;
}

const FATAL_ARCHIVE_WARNINGS = new Set(['TAR_BAD_ARCHIVE', 'TAR_ABORT', 'TAR_ENTRY_INVALID']);
const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

/**
 * Loads an OCI image layout archive or a `docker save` archive (tar, optionally gzipped) into the
 * store, for hosts without a registry. Every blob is verified against its digest on the way in.
 * Returns one record per image reference the archive names.
 */
export async function loadImageArchive(
  store: ImageStore,
  archivePath: string,
  options: LoadOptions = {},
): Promise<ImageRecord[]> {
  const staging = join(store.root, 'tmp', `load.${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  try {
    // node-tar skips `..` entries, strips leading `/` from names and link targets, and never
    // writes through a symlink; what it read as broken makes the whole archive invalid.
    const problems: string[] = [];
    await extract({
      file: archivePath,
      cwd: staging,
      onwarn: (code, message) => {
        if (FATAL_ARCHIVE_WARNINGS.has(code)) problems.push(`${code}: ${String(message)}`);
      },
    }).catch((e: unknown) => {
      throw imageError(ImageErrorReason.InvalidArchive, `cannot read archive ${archivePath}`, {
        cause: e,
      });
    });
    if (problems.length > 0) {
      throw imageError(
        ImageErrorReason.InvalidArchive,
        `bad archive ${archivePath}: ${problems.join('; ')}`,
      );
    }
    return await loadImageDirectory(store, staging, options);
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * Loads an unpacked OCI layout or docker-save directory. All or nothing: records are written
 * only once every image of the archive verified, and a failure removes the blobs this load
 * added, so a bad archive leaves the store as it was.
 */
export async function loadImageDirectory(
  store: ImageStore,
  dir: string,
  options: LoadOptions = {},
): Promise<ImageRecord[]> {
  const txn = new LoadTransaction(store);
  try {
    let records: ImageRecord[];
    if (await exists(join(dir, 'oci-layout'))) records = await loadOciLayout(txn, dir, options);
    else if (await exists(join(dir, 'manifest.json'))) records = await loadDockerSave(txn, dir);
    else
      throw imageError(
        ImageErrorReason.InvalidArchive,
        'neither an OCI layout (oci-layout) nor a docker save (manifest.json)',
      );
    await txn.commit(records);
    return records;
  } catch (e) {
    await txn.rollback();
    throw e;
  }
}

/**
 * The writes of one archive load: blobs go into the store as they verify (they are unreachable
 * until a record names them), records only at `commit`; `rollback` removes what this load added.
 */
class LoadTransaction {
  private readonly addedBlobs: string[] = [];
  private readonly addedRecords: string[] = [];

  constructor(readonly store: ImageStore) {}

  async put(digest: string, source: Readable, size?: number): Promise<void> {
    if (await this.store.blobs.has(digest)) {
      source.destroy();
      return;
    }
    await this.store.blobs.put(digest, source, size);
    this.addedBlobs.push(digest);
  }

  async putBuffer(digest: string, data: Buffer): Promise<void> {
    verifyBuffer(data, digest, `blob ${digest}`);
    await this.put(digest, Readable.from([data]), data.length);
  }

  async commit(records: readonly ImageRecord[]): Promise<void> {
    for (const r of records) {
      const isNew = (await this.store.getImage(r.reference)) === undefined;
      await this.store.saveRecord(r);
      if (isNew) this.addedRecords.push(r.reference);
    }
  }

  async rollback(): Promise<void> {
    for (const ref of this.addedRecords) await this.store.removeImage(ref).catch(() => false);
    for (const d of this.addedBlobs) await rm(this.store.blobs.path(d), { force: true });
  }
}

async function loadOciLayout(
  store: LoadTransaction,
  dir: string,
  options: LoadOptions,
): Promise<ImageRecord[]> {
  const index = parseManifest(await readFile(await inside(dir, 'index.json')));
  if (index.kind !== 'index')
    throw imageError(ImageErrorReason.InvalidArchive, 'index.json is not an index');
  const records: ImageRecord[] = [];
  for (const desc of index.manifests) {
    const reference = ociReference(desc, options.name);
    if (!reference) continue;
    records.push(await loadOciImage(store, dir, desc, reference, options.platform));
  }
  if (records.length === 0) {
    throw imageError(
      ImageErrorReason.InvalidArchive,
      'the OCI layout names no image (give a name)',
    );
  }
  return records;
}

function ociReference(desc: Descriptor, name?: string): string | undefined {
  const annotated = desc.annotations?.[CONTAINERD_NAME] ?? desc.annotations?.[REF_NAME];
  if (annotated && /[/:@]/.test(annotated)) return formatReference(parseReference(annotated));
  if (!name) {
    if (annotated)
      throw imageError(ImageErrorReason.InvalidArchive, `image tagged "${annotated}" needs a name`);
    return undefined;
  }
  return formatReference(
    parseReference(annotated ? `${name}:${annotated}` : `${name}@${desc.digest}`),
  );
}

async function loadOciImage(
  store: LoadTransaction,
  dir: string,
  top: Descriptor,
  reference: string,
  platform?: Platform,
): Promise<ImageRecord> {
  const blob = (d: string) => inside(dir, join('blobs', 'sha256', digestHex(d)));
  let desc = top;
  let indexDigest: string | undefined;
  let body = await readFile(await blob(desc.digest));
  verifyBuffer(body, desc.digest, `manifest of ${reference}`);
  let manifest = parseManifest(body, desc.mediaType);
  if (manifest.kind === 'index') {
    await store.putBuffer(desc.digest, body);
    indexDigest = desc.digest;
    desc = selectPlatform(manifest, platform ?? hostPlatform());
    body = await readFile(await blob(desc.digest));
    verifyBuffer(body, desc.digest, `manifest of ${reference}`);
    manifest = parseManifest(body, desc.mediaType);
  }
  if (manifest.kind !== 'manifest')
    throw imageError(ImageErrorReason.InvalidArchive, 'nested index');
  for (const d of [manifest.config, ...manifest.layers]) {
    await store.put(d.digest, createReadStream(await blob(d.digest)), d.size);
  }
  await store.putBuffer(desc.digest, body);
  const record: ImageRecord = {
    reference,
    manifestDigest: desc.digest,
    indexDigest,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
    })),
    platform: desc.platform,
    storedAt: new Date().toISOString(),
  };
  return record;
}

interface DockerSaveEntry {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}

async function loadDockerSave(store: LoadTransaction, dir: string): Promise<ImageRecord[]> {
  const entries = JSON.parse(
    await readFile(await inside(dir, 'manifest.json'), 'utf8'),
  ) as DockerSaveEntry[];
  if (!Array.isArray(entries))
    throw imageError(ImageErrorReason.InvalidArchive, 'manifest.json is not a list');
  const records: ImageRecord[] = [];
  for (const entry of entries) {
    const configBytes = await readFile(await inside(dir, entry.Config));
    const configDigest = sha256Digest(configBytes);
    const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
    await store.putBuffer(configDigest, configBytes);
    const layers: Descriptor[] = [];
    for (const [i, file] of entry.Layers.entries()) {
      layers.push(
        await importDockerLayer(store, await inside(dir, file), config.rootfs?.diff_ids[i]),
      );
    }
    const manifestBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.DockerManifest,
        config: {
          mediaType: MediaType.DockerConfig,
          size: configBytes.length,
          digest: configDigest,
        },
        layers,
      }),
    );
    const manifestDigest = sha256Digest(manifestBytes);
    await store.putBuffer(manifestDigest, manifestBytes);
    for (const tag of entry.RepoTags ?? []) {
      const record: ImageRecord = {
        reference: formatReference(parseReference(tag)),
        manifestDigest,
        configDigest,
        layers,
        platform:
          config.os && config.architecture
            ? { os: config.os, architecture: config.architecture }
            : undefined,
        storedAt: new Date().toISOString(),
      };
      records.push(record);
    }
  }
  return records;
}

/** Stores one docker-save layer; an uncompressed layer must hash to the config's diff_id. */
async function importDockerLayer(
  store: LoadTransaction,
  path: string,
  diffId?: string,
): Promise<Descriptor> {
  const digest = await hashFile(path);
  const gzip = await isGzip(path);
  if (!gzip && diffId && diffId !== digest) {
    throw imageError(
      ImageErrorReason.DigestMismatch,
      `layer ${path} does not match diff_id ${diffId}`,
      {
        context: { expected: diffId, actual: digest },
      },
    );
  }
  const size = (await stat(path)).size;
  await store.put(digest, createReadStream(path), size);
  return { mediaType: gzip ? MediaType.DockerLayerGzip : MediaType.DockerLayer, digest, size };
}

/**
 * A path named by the archive, checked to stay inside it after following symlinks: an archive must
 * not make the loader read host files (`Config: "x.json"` with `x.json -> /etc/shadow`).
 */
async function inside(dir: string, rel: string): Promise<string> {
  const base = await realpath(dir);
  let real: string;
  try {
    real = await realpath(join(base, rel));
  } catch (e) {
    throw imageError(ImageErrorReason.InvalidArchive, `archive lacks ${rel}`, { cause: e });
  }
  if (real !== base && !real.startsWith(`${base}${sep}`)) {
    throw imageError(ImageErrorReason.InvalidArchive, `archive path ${rel} escapes the archive`);
  }
  return real;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
