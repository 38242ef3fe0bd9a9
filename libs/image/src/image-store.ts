import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@bosun/common';
import { BlobStore } from './blob-store';
import { digestHex, sha256Digest } from './digest';
import type { ImageConfig, ImageRecord } from './image-record';
import { applyLayer } from './layer-apply';
import { ImageErrorReason, imageError } from './image-error';
import { formatReference, parseReference, referenceName } from './reference';

/**
 * A node's image store under one root directory:
 *   blobs/sha256/<hex>   content-addressed manifests, configs and layers
 *   images/<hash>.json   one record per reference (reference -> manifest, config, layers)
 *   rootfs/<config hex>  the unpacked root filesystem of an image, built in tmp/ then renamed
 *   tmp/                 work in progress; wiped on open, so a crash leaves nothing half-done
 */
export class ImageStore {
  readonly blobs: BlobStore;

  private constructor(
    readonly root: string,
    private readonly logger?: Logger,
  ) {
    this.blobs = new BlobStore(root);
  }

  static async open(root: string, logger?: Logger): Promise<ImageStore> {
    const store = new ImageStore(root, logger);
    await rm(join(root, 'tmp'), { recursive: true, force: true });
    for (const d of ['blobs/sha256', 'images', 'rootfs', 'tmp']) {
      await mkdir(join(root, d), { recursive: true });
    }
    return store;
  }

  private recordPath(reference: string): string {
    return join(this.root, 'images', `${digestHex(sha256Digest(reference))}.json`);
  }

  /** Writes the record atomically (temp file, then rename). */
  async saveRecord(record: ImageRecord): Promise<void> {
    const tmp = join(this.root, 'tmp', `record.${randomUUID()}`);
    await writeFile(tmp, JSON.stringify(record, null, 2));
    await rename(tmp, this.recordPath(record.reference));
  }

  /**
   * The record for a reference (any spelling: `busybox` finds `docker.io/library/busybox:latest`).
   * A digest reference also finds an image pulled by tag whose manifest or index has that digest.
   */
  async getImage(image: string): Promise<ImageRecord | undefined> {
    const ref = parseReference(image);
    const direct = await this.readRecord(this.recordPath(formatReference(ref)));
    if (direct || !ref.digest) return direct;
    const name = referenceName(ref);
    return (await this.listImages()).find(
      (r) =>
        referenceName(parseReference(r.reference)) === name &&
        (r.manifestDigest === ref.digest || r.indexDigest === ref.digest),
    );
  }

  async listImages(): Promise<ImageRecord[]> {
    const files = await readdir(join(this.root, 'images'));
    const records = await Promise.all(
      files
        .filter((f) => f.endsWith('.json'))
        .map((f) => this.readRecord(join(this.root, 'images', f))),
    );
    return records.filter((r): r is ImageRecord => r !== undefined);
  }

  private async readRecord(path: string): Promise<ImageRecord | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as ImageRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async imageConfig(record: ImageRecord): Promise<ImageConfig> {
    return JSON.parse((await this.blobs.read(record.configDigest)).toString('utf8')) as ImageConfig;
  }

  /** Forgets a reference; its rootfs and blobs go at the next `garbageCollect`. */
  async removeImage(image: string): Promise<boolean> {
    const path = this.recordPath(formatReference(parseReference(image)));
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    await rm(path, { force: true });
    return existed;
  }

  /** Deletes blobs and rootfs directories no record refers to. Returns how many entries went. */
  async garbageCollect(): Promise<number> {
    const records = await this.listImages();
    const blobs = new Set<string>();
    const roots = new Set<string>();
    for (const r of records) {
      for (const d of [
        r.manifestDigest,
        r.indexDigest,
        r.configDigest,
        ...r.layers.map((l) => l.digest),
      ]) {
        if (d) blobs.add(digestHex(d));
      }
      roots.add(digestHex(r.configDigest));
    }
    let removed = 0;
    for (const [dir, keep] of [
      [join(this.root, 'blobs', 'sha256'), blobs],
      [join(this.root, 'rootfs'), roots],
    ] as const) {
      for (const name of await readdir(dir)) {
        if (keep.has(name)) continue;
        await rm(join(dir, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /**
   * The unpacked root filesystem of an image, built once per image ID by applying its layers in
   * order into a temp directory that is renamed into place when complete.
   */
  async ensureRootfs(record: ImageRecord): Promise<string> {
    const final = join(this.root, 'rootfs', digestHex(record.configDigest));
    if (await isDir(final)) return final;
    for (const layer of record.layers) {
      if (!(await this.blobs.has(layer.digest))) {
        throw imageError(
          ImageErrorReason.NotFound,
          `layer ${layer.digest} of ${record.reference} is not in the store`,
          {
            context: { image: record.reference, digest: layer.digest },
          },
        );
      }
    }
    const work = join(this.root, 'tmp', `rootfs.${randomUUID()}`);
    await mkdir(work, { recursive: true, mode: 0o755 });
    try {
      for (const layer of record.layers) {
        await applyLayer(work, this.blobs.open(layer.digest), this.logger);
      }
      await rename(work, final);
      this.logger?.info({ image: record.reference, rootfs: final }, 'rootfs unpacked');
    } catch (e) {
      await rm(work, { recursive: true, force: true });
      // Another caller may have finished the same rootfs first: theirs is as good as ours.
      if (await isDir(final)) return final;
      throw e;
    }
    return final;
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
