import { BosunError, ErrorCode } from '@bosun/common';
import type { IndexFunc } from './indexers';

/**
 * A key -> object map with secondary indexes kept in step on every write, so a lookup by
 * namespace, label, owner or node is a map read instead of a scan.
 */
export class IndexedCache<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexFuncs.has(name)) {
      throw new BosunError(ErrorCode.AlreadyExists, `indexer ${name} already exists`);
    }
    this.indexFuncs.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) this.indexOne(index, fn, key, obj);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  set(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFuncs) this.indexOne(this.indexes.get(name)!, fn, key, obj);
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new BosunError(ErrorCode.NotFound, `no indexer named ${indexName}`);
    const keys = index.get(value);
    return keys ? [...keys].map((k) => this.items.get(k)!) : [];
  }

  indexValues(indexName: string): string[] {
    return [...(this.indexes.get(indexName)?.keys() ?? [])];
  }

  private indexOne(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indexes.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
