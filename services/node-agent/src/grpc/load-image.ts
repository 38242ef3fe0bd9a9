import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { status as GrpcStatus, type ServerReadableStream } from '@grpc/grpc-js';
import type { Logger } from '@bosun/common';
import {
  ImageErrorReason,
  imageErrorReason,
  loadImageArchive,
  type ImageStore,
} from '@bosun/image';
import type { LoadImageRequest, LoadImageResponse } from '@bosun/proto';
import { NodeCallError } from './container-locator';
import { isNoSpace } from '../disk/no-space';

export interface LoadImageDeps {
  /** The agent's own image store; absent on hollow nodes (nothing to load into). */
  readonly images?: ImageStore;
  readonly log: Logger;
}

/** Image failures that mean the archive itself is bad (the caller's fault: INVALID_ARGUMENT). */
const BAD_ARCHIVE = new Set<ImageErrorReason>([
  ImageErrorReason.InvalidArchive,
  ImageErrorReason.DigestMismatch,
  ImageErrorReason.InvalidManifest,
  ImageErrorReason.InvalidReference,
  ImageErrorReason.UnsupportedMediaType,
  ImageErrorReason.NoMatchingPlatform,
  ImageErrorReason.UnsafeLayer,
]);

/**
 * LoadImage: the archive's chunks are streamed (with backpressure, so memory stays bounded) to a
 * file in the store's tmp/, then loaded all or nothing by @bosun/image, which verifies every
 * blob. The file is removed either way.
 */
export async function loadImage(
  deps: LoadImageDeps,
  call: ServerReadableStream<LoadImageRequest, LoadImageResponse>,
): Promise<LoadImageResponse> {
  const store = deps.images;
  if (!store) {
    throw new NodeCallError(
      GrpcStatus.UNIMPLEMENTED,
      'this node has no image store (hollow node with the fake runtime)',
    );
  }
  const tmp = join(store.root, 'tmp', `upload.${randomUUID()}.tar`);
  await mkdir(join(store.root, 'tmp'), { recursive: true });
  try {
    await pipeline(
      call,
      async function* (source: AsyncIterable<LoadImageRequest>) {
        for await (const m of source) if (m.chunk.length > 0) yield Buffer.from(m.chunk);
      },
      createWriteStream(tmp),
    );
    const records = await loadImageArchive(store, tmp);
    const images = records.map((r) => ({
      name: r.reference,
      digest: r.indexDigest ?? r.manifestDigest,
    }));
    deps.log.info({ images }, 'image archive loaded');
    return { images };
  } catch (e) {
    throw asLoadError(e);
  } finally {
    await rm(tmp, { force: true });
  }
}

function asLoadError(e: unknown): NodeCallError {
  if (e instanceof NodeCallError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const reason = imageErrorReason(e);
  if (reason && BAD_ARCHIVE.has(reason)) {
    return new NodeCallError(
      GrpcStatus.INVALID_ARGUMENT,
      `not a loadable image archive: ${message}`,
    );
  }
  if (isNoSpace(e)) {
    return new NodeCallError(GrpcStatus.RESOURCE_EXHAUSTED, `the node's disk is full: ${message}`);
  }
  return new NodeCallError(GrpcStatus.INTERNAL, message);
}
