import { stat } from 'node:fs/promises';
import { readJson } from './container-record';

/**
 * Parsed JSON state files, reread only when a file's mtime or size changes: one stat instead of
 * an open, read and close per file. The runtime lists every sandbox and container record on
 * each relist, while the records themselves change a few times in a container's life. Files are
 * written whole and renamed into place (`writeJson`), so a changed file has a new mtime.
 */
export class JsonFileCache {
  private readonly entries = new Map<string, { key: string; value: unknown }>();

  async json<T>(path: string): Promise<T | undefined> {
    const st = await stat(path).catch(() => undefined);
    if (!st) {
      this.entries.delete(path);
      return undefined;
    }
    const key = `${st.mtimeMs}:${st.size}:${st.ino}`;
    const hit = this.entries.get(path);
    if (hit?.key === key) return hit.value as T;
    const value = await readJson<T>(path);
    if (value === undefined) this.entries.delete(path);
    else this.entries.set(path, { key, value });
    return value;
  }

  /** Drops what is remembered of files under `prefix` (a removed container or sandbox). */
  forget(prefix: string): void {
    for (const path of this.entries.keys()) if (path.startsWith(prefix)) this.entries.delete(path);
  }
}
