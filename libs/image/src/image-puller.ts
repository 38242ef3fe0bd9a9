import type { Logger } from '@bosun/common';
import type { ImageRecord } from './image-record';
import type { ImageStore } from './image-store';
import { hostPlatform, selectPlatform, type Descriptor, type Platform } from './manifest';
import { mustPull, defaultPullPolicy, type PullPolicy } from './pull-policy';
import { formatReference, parseReference, type ImageReference } from './reference';
import type { RegistryClient } from './registry-client';
import { ImageErrorReason, imageError } from './image-error';

export interface PullOptions {
  readonly platform?: Platform;
  readonly logger?: Logger;
  /** Blobs fetched at once. */
  readonly concurrency?: number;
}

/**
 * Pulls an image into the store: manifest (resolving an index to this node's platform), config
 * and layers, each verified by digest and skipped when the store already has it; the image record
 * is written last, so a failed pull leaves no record and no unverified blob.
 */
export async function pullImage(
  store: ImageStore,
  client: RegistryClient,
  image: string,
  options: PullOptions = {},
): Promise<ImageRecord> {
  const ref = parseReference(image);
  const top = await client.getManifest(ref);
  let indexDigest: string | undefined;
  let fetched = top;
  let platform: Platform | undefined;
  if (top.manifest.kind === 'index') {
    const desc = selectPlatform(top.manifest, options.platform ?? hostPlatform());
    indexDigest = top.digest;
    platform = desc.platform;
    fetched = await client.getManifest(ref, desc.digest);
    await store.blobs.putBuffer(top.digest, top.body);
  }
  const manifest = fetched.manifest;
  if (manifest.kind !== 'manifest') {
    throw imageError(
      ImageErrorReason.InvalidManifest,
      `${image}: an index inside an index is not supported`,
    );
  }
  const blobs = [manifest.config, ...manifest.layers];
  await forEachLimited(blobs, options.concurrency ?? 3, (d) =>
    fetchBlob(store, client, ref, d, options.logger),
  );
  await store.blobs.putBuffer(fetched.digest, fetched.body);
  const record: ImageRecord = {
    reference: formatReference(ref),
    manifestDigest: fetched.digest,
    indexDigest,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
    })),
    platform,
    storedAt: new Date().toISOString(),
  };
  await store.saveRecord(record);
  options.logger?.info({ image: record.reference, digest: record.manifestDigest }, 'image pulled');
  return record;
}

async function fetchBlob(
  store: ImageStore,
  client: RegistryClient,
  ref: ImageReference,
  d: Descriptor,
  logger?: Logger,
): Promise<void> {
  if (await store.blobs.has(d.digest)) {
    logger?.debug({ digest: d.digest }, 'blob already present');
    return;
  }
  await store.blobs.put(d.digest, await client.getBlob(ref, d.digest), d.size);
}

/** Runs `fn` over `items`, `limit` at a time; on a failure starts no more and waits for the rest. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      await fn(items[next++]!).catch((e: unknown) => {
        failed = true;
        throw e;
      });
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

export interface EnsureImageResult {
  readonly record: ImageRecord;
  readonly pulled: boolean;
}

/**
 * What the node agent calls before creating a container: applies the pull policy (Kubernetes'
 * default when none is given), pulls when it must, and returns the record.
 */
export async function ensureImage(
  store: ImageStore,
  client: RegistryClient,
  image: string,
  policy?: PullPolicy,
  options: PullOptions = {},
): Promise<EnsureImageResult> {
  const ref = parseReference(image);
  const present = await store.getImage(image);
  if (!mustPull(policy ?? defaultPullPolicy(ref), present !== undefined, image)) {
    return { record: present!, pulled: false };
  }
  return { record: await pullImage(store, client, image, options), pulled: true };
}
