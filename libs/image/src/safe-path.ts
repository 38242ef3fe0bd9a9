import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { ImageErrorReason, imageError } from './image-error';

const MAX_SYMLINK_HOPS = 40;

/**
 * Normalizes a tar entry name to root-relative components. Leading `/` and `./` are dropped (layers
 * are always rooted at the image root); any `..` component is refused outright, as tar-slip.
 */
export function entryComponents(name: string): string[] {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw imageError(ImageErrorReason.UnsafeLayer, `layer entry "${name}" escapes the root (..)`, {
      context: { entry: name },
    });
  }
  return parts;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Resolves the directory `components` inside `root` as a chroot would: every symlink met on the
 * way is followed with their target read relative to `root`, and `..` never climbs above
 * it. So a layer with `lib -> /usr/lib` writes `lib/x` to `<root>/usr/lib/x`, and a hostile
 * `evil -> /etc` writes `evil/passwd` to `<root>/etc/passwd`, never to the host.
 */
export async function resolveInRoot(root: string, components: readonly string[]): Promise<string> {
  const done: string[] = [];
  const todo = [...components];
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = join(root, ...done, part);
    const st = await lstatOrUndefined(candidate);
    if (st?.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) {
        throw imageError(
          ImageErrorReason.UnsafeLayer,
          `too many symlinks resolving ${components.join('/')}`,
        );
      }
      const target = await readlink(candidate);
      if (posix.isAbsolute(target)) done.length = 0;
      todo.unshift(...target.split('/'));
      continue;
    }
    done.push(part);
  }
  return join(root, ...done);
}

/** The path of an entry: its parent resolved inside `root`, its own name never followed. */
export async function resolveEntryPath(
  root: string,
  components: readonly string[],
): Promise<string> {
  if (components.length === 0) return root;
  const parent = await resolveInRoot(root, components.slice(0, -1));
  return join(parent, components[components.length - 1]!);
}
