import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  rm,
  symlink,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { BosunError, type Logger } from '@bosun/common';
import { ImageErrorReason, imageError } from './image-error';
import { entryComponents, resolveEntryPath, resolveInRoot } from './safe-path';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const FATAL_TAR_WARNINGS = new Set([
  'TAR_BAD_ARCHIVE',
  'TAR_ABORT',
  'TAR_ENTRY_INVALID',
  'TAR_ENTRY_ERROR',
]);
const asRoot = process.getuid?.() === 0;

/** State of one layer being applied: which paths this layer itself wrote. */
interface LayerContext {
  readonly root: string;
  /** Entry paths (and their ancestors) written by this layer; whiteouts only hide lower layers. */
  readonly touched: Set<string>;
  readonly logger?: Logger;
}

/**
 * Applies one layer (tar, gzip detected by its magic bytes) on top of `root`, the OCI way:
 * `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` empties its directory of lower
 * layers' content, hardlinks and symlinks are recreated, modes (and owners when root) kept. Paths
 * never leave `root`: `..` entries are refused, symlinks are resolved as inside a chroot.
 */
export async function applyLayer(root: string, source: Readable, logger?: Logger): Promise<void> {
  const ctx: LayerContext = { root, touched: new Set(), logger };
  let failure: unknown;
  let rejectFailed!: (e: unknown) => void;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  const fail = (e: unknown) => {
    if (failure !== undefined) return;
    failure = e;
    rejectFailed(e);
  };
  let chain: Promise<void> = Promise.resolve();
  // node-tar calls an archive with no entries "bad"; an empty layer (only zero blocks, maybe
  // gzipped) is legal, anything else without a single valid header is not a tar.
  let noEntries = false;
  let allZero = true;
  let first: Buffer | undefined;
  const parser = new Parser({
    maxDecompressionRatio: Number.POSITIVE_INFINITY,
    onwarn: (code, message) => {
      if (code === 'TAR_BAD_ARCHIVE') noEntries = true;
      else if (FATAL_TAR_WARNINGS.has(code)) fail(badTar(`${code}: ${String(message)}`));
      else logger?.debug({ code }, `layer tar: ${String(message)}`);
    },
    onReadEntry: (entry: ReadEntry) => {
      chain = chain.then(async () => {
        if (failure !== undefined) return void entry.resume();
        await applyEntry(ctx, entry).catch((e: unknown) => {
          entry.resume();
          fail(
            e instanceof BosunError
              ? e
              : imageError(
                  ImageErrorReason.InvalidArchive,
                  `layer entry ${entry.path}: ${String(e)}`,
                  { cause: e },
                ),
          );
        });
      });
    },
  });
  parser.on('error', (e: unknown) => fail(badTar(String(e), e)));
  const ended = once(parser, 'end');
  for await (const chunk of source) {
    if (failure !== undefined) break;
    const buf = chunk as Buffer;
    first ??= buf;
    if (allZero && buf.some((b) => b !== 0)) allZero = false;
    if (!parser.write(buf)) await Promise.race([once(parser, 'drain'), failed]);
  }
  if (failure === undefined) {
    parser.end();
    await Promise.race([ended, failed]).catch(() => undefined);
  }
  await chain;
  const gzip = first !== undefined && first[0] === 0x1f && first[1] === 0x8b;
  if (failure === undefined && noEntries && !allZero && !gzip) fail(badTar('not a tar archive'));
  if (failure !== undefined) throw failure;
}

function badTar(message: string, cause?: unknown) {
  return imageError(ImageErrorReason.InvalidArchive, `bad layer tar: ${message}`, { cause });
}

async function applyEntry(ctx: LayerContext, entry: ReadEntry): Promise<void> {
  const comps = entryComponents(entry.path);
  if (comps.length === 0) return void entry.resume();
  const base = comps[comps.length - 1]!;
  const parent = comps.slice(0, -1);
  if (base === OPAQUE_MARKER) {
    entry.resume();
    return opaque(ctx, parent);
  }
  if (base.startsWith(WHITEOUT_PREFIX)) {
    entry.resume();
    // Other `.wh..wh.` names are aufs bookkeeping, never content.
    if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) return;
    return whiteout(ctx, [...parent, base.slice(WHITEOUT_PREFIX.length)]);
  }
  for (let i = 1; i <= comps.length; i++) ctx.touched.add(comps.slice(0, i).join('/'));
  const dir = await resolveInRoot(ctx.root, parent);
  await mkdir(dir, { recursive: true });
  const target = join(dir, base);
  await writeEntry(ctx, entry, target);
}

async function writeEntry(ctx: LayerContext, entry: ReadEntry, target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  const mode = (entry.mode ?? 0o644) & 0o7777;
  if (entry.type === 'Directory') {
    entry.resume();
    if (!existing?.isDirectory()) {
      if (existing) await rm(target, { recursive: true, force: true });
      await mkdir(target);
    }
    await chmod(target, mode);
    return finish(entry, target, false);
  }
  if (existing) await rm(target, { recursive: true, force: true });
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      await pipeline(entry, createWriteStream(target, { mode }));
      await chmod(target, mode);
      return finish(entry, target, false);
    case 'SymbolicLink':
      entry.resume();
      // The target is stored verbatim: it is read inside the container's root, never by us.
      await symlink(entry.linkpath ?? '', target);
      return finish(entry, target, true);
    case 'Link': {
      entry.resume();
      const source = await resolveEntryPath(ctx.root, entryComponents(entry.linkpath ?? ''));
      await link(source, target);
      return;
    }
    default:
      // Devices and fifos need mknod, which Node lacks; a container runtime provides /dev anyway.
      entry.resume();
      ctx.logger?.debug({ path: entry.path, type: entry.type }, 'layer entry type skipped');
  }
}

async function finish(entry: ReadEntry, target: string, isLink: boolean): Promise<void> {
  if (asRoot && entry.uid !== undefined && entry.gid !== undefined) {
    await lchown(target, entry.uid, entry.gid);
    // chown clears setuid/setgid bits; restore them.
    if (!isLink && entry.mode !== undefined && entry.mode & 0o6000)
      await chmod(target, entry.mode & 0o7777);
  }
  if (entry.mtime) await (isLink ? lutimes : utimes)(target, entry.mtime, entry.mtime);
}

async function whiteout(ctx: LayerContext, comps: string[]): Promise<void> {
  if (ctx.touched.has(comps.join('/'))) return;
  const dir = await resolveInRoot(ctx.root, comps.slice(0, -1));
  await rm(join(dir, comps[comps.length - 1]!), { recursive: true, force: true });
}

async function opaque(ctx: LayerContext, comps: string[]): Promise<void> {
  const dir = await resolveInRoot(ctx.root, comps);
  await removeUntouched(ctx, dir, comps);
}

async function removeUntouched(ctx: LayerContext, dir: string, comps: string[]): Promise<void> {
  const children = await readdir(dir).catch(() => [] as string[]);
  for (const child of children) {
    const rel = [...comps, child];
    const path = join(dir, child);
    if (!ctx.touched.has(rel.join('/'))) {
      await rm(path, { recursive: true, force: true });
    } else if ((await lstat(path)).isDirectory()) {
      await removeUntouched(ctx, path, rel);
    }
  }
}
