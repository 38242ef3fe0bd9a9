import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestVerifier, digestHex, verifyBuffer } from './digest';
import { ImageErrorReason, imageError } from './image-error';

/**
 * Content-addressed blobs under `<root>/blobs/sha256/<hex>`. A blob is written to `<root>/tmp`
 * while its digest is computed and renamed into place only when it matches, so a crash or a bad
 * byte never leaves a wrong blob under a digest name.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  path(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.path(digest)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** Streams `source` into the store, verifying digest (and size when given) on the way. */
  async put(digest: string, source: Readable, size?: number): Promise<string> {
    const final = this.path(digest);
    if (await this.has(digest)) {
      source.destroy();
      return final;
    }
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${digestHex(digest)}.${randomUUID()}`);
    try {
      await pipeline(
        source,
        new DigestVerifier(digest, `blob ${digest}`, size),
        createWriteStream(tmp),
      );
      await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
      await rename(tmp, final);
      return final;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async putBuffer(digest: string, data: Buffer): Promise<string> {
    verifyBuffer(data, digest, `blob ${digest}`);
    return this.put(digest, Readable.from([data]), data.length);
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.path(digest));
    } catch (e) {
      throw imageError(ImageErrorReason.NotFound, `blob ${digest} is not in the store`, {
        cause: e,
        context: { digest },
      });
    }
  }

  open(digest: string): Readable {
    return createReadStream(this.path(digest));
  }
}
