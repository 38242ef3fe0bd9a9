import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImageErrorReason, imageError } from './image-error';

const DIGEST = /^sha256:([a-f0-9]{64})$/;

/** The hex part of a `sha256:<hex>` digest; throws (InvalidManifest) for any other algorithm. */
export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m) {
    throw imageError(
      ImageErrorReason.InvalidManifest,
      `unsupported or malformed digest "${digest}"`,
      {
        context: { digest },
      },
    );
  }
  return m[1]!;
}

export function isDigest(s: string): boolean {
  return DIGEST.test(s);
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Throws DigestMismatch unless `data` hashes to `expected`. */
export function verifyBuffer(data: Buffer, expected: string, what: string): void {
  const actual = sha256Digest(data);
  if (actual !== expected) throw mismatch(what, expected, actual);
}

function mismatch(what: string, expected: string, actual: string) {
  return imageError(
    ImageErrorReason.DigestMismatch,
    `${what}: digest mismatch (expected ${expected}, got ${actual})`,
    { context: { expected, actual } },
  );
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end when the digest
 * (or the announced size) is not the expected one — so a consumer that writes to a temp file only
 * renames it after this stream finished cleanly.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly expected: string,
    private readonly what: string,
    private readonly expectedSize?: number,
  ) {
    super();
    digestHex(expected);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      cb(
        imageError(
          ImageErrorReason.DigestMismatch,
          `${this.what}: more bytes than the ${this.expectedSize} announced`,
          {
            context: { expected: this.expected },
          },
        ),
      );
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== this.expected) {
      cb(mismatch(this.what, this.expected, actual));
      return;
    }
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      cb(
        imageError(
          ImageErrorReason.DigestMismatch,
          `${this.what}: ${this.bytes} bytes, ${this.expectedSize} announced`,
          {
            context: { expected: this.expected },
          },
        ),
      );
      return;
    }
    cb();
  }
}
