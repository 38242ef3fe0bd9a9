import { BosunError, ErrorCode } from '@bosun/common';
import { objectKey } from '../object-key';
import type { KubeObject, ListResult, ListWatchPort, StopWatch, WatchEvent } from '../types';

interface Watcher<T> {
  onEvent(event: WatchEvent<T>): void;
  onError(error: unknown): void;
}

let uidCounter = 0;

/**
 * A store for one resource type in memory, with revisions like Bosun's event log: every write gets
 * the next revision, watchers get every later event in order, synchronously. It clones on the way
 * in and out so neither side can change the other's objects. Usable by any test in the repo.
 */
export class InMemoryResourcePort<T extends KubeObject> implements ListWatchPort<T> {
  private revision = 0;
  private compactedRevision = 0;
  private readonly objects = new Map<string, T>();
  private readonly log: WatchEvent<T>[] = [];
  private readonly watchers = new Set<Watcher<T>>();
  /** Every write, in order; tests assert on it. */
  readonly writes: Array<{ verb: 'create' | 'update' | 'delete'; object: T }> = [];

  constructor(initial: readonly T[] = []) {
    for (const obj of initial) this.create(obj);
  }

  get currentRevision(): number {
    return this.revision;
  }

  async list(): Promise<ListResult<T>> {
    return { items: [...this.objects.values()].map(clone), revision: this.revision };
  }

  watch(
    fromRevision: number,
    onEvent: (event: WatchEvent<T>) => void,
    onError: (error: unknown) => void,
  ): StopWatch {
    if (fromRevision < this.compactedRevision) {
      onError(new BosunError(ErrorCode.Gone, `revision ${fromRevision} is compacted`));
      return () => undefined;
    }
    const watcher = { onEvent, onError };
    for (const e of this.log) if (e.revision > fromRevision) onEvent(cloneEvent(e));
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  get(namespace: string, name: string): T | undefined {
    const obj = this.objects.get(namespace ? `${namespace}/${name}` : name);
    return obj && clone(obj);
  }

  create(obj: T): T {
    const key = objectKey(obj);
    if (this.objects.has(key)) {
      throw new BosunError(ErrorCode.AlreadyExists, `${key} already exists`);
    }
    const stored = clone(obj);
    stored.metadata.uid ??= `uid-${++uidCounter}`;
    return this.commit('create', 'ADDED', key, stored);
  }

  /** Fails with Conflict when `obj` carries a resourceVersion that is not the stored one. */
  update(obj: T): T {
    const key = objectKey(obj);
    const current = this.objects.get(key);
    if (!current) throw new BosunError(ErrorCode.NotFound, `${key} not found`);
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== current.metadata.resourceVersion) {
      throw new BosunError(ErrorCode.Conflict, `${key}: resourceVersion ${rv} is stale`);
    }
    const stored = clone(obj);
    stored.metadata.uid = current.metadata.uid;
    return this.commit('update', 'MODIFIED', key, stored);
  }

  delete(namespace: string, name: string): T {
    const key = namespace ? `${namespace}/${name}` : name;
    const current = this.objects.get(key);
    if (!current) throw new BosunError(ErrorCode.NotFound, `${key} not found`);
    return this.commit('delete', 'DELETED', key, clone(current));
  }

  /** Breaks every open watch, as a dropped connection or a 410 Gone would. */
  failWatches(error: unknown = new BosunError(ErrorCode.Gone, 'watch expired')): void {
    const watchers = [...this.watchers];
    this.watchers.clear();
    for (const w of watchers) w.onError(error);
  }

  /** Forgets log entries at or below `revision`: watches from there answer Gone. */
  compact(revision = this.revision): void {
    this.compactedRevision = revision;
    const keepFrom = this.log.findIndex((e) => e.revision > revision);
    this.log.splice(0, keepFrom < 0 ? this.log.length : keepFrom);
  }

  /** Delivers the logged events after `fromRevision` again to every watcher (at-least-once). */
  redeliver(fromRevision: number): void {
    for (const e of this.log) {
      if (e.revision <= fromRevision) continue;
      for (const w of [...this.watchers]) w.onEvent(cloneEvent(e));
    }
  }

  private commit(
    verb: 'create' | 'update' | 'delete',
    type: WatchEvent<T>['type'],
    key: string,
    stored: T,
  ): T {
    const revision = ++this.revision;
    stored.metadata.resourceVersion = String(revision);
    if (verb === 'delete') this.objects.delete(key);
    else this.objects.set(key, stored);
    const event = { type, object: stored, revision };
    this.log.push(event);
    this.writes.push({ verb, object: clone(stored) });
    for (const w of [...this.watchers]) w.onEvent(cloneEvent(event));
    return clone(stored);
  }
}

function clone<T>(obj: T): T {
  return structuredClone(obj);
}

function cloneEvent<T>(e: WatchEvent<T>): WatchEvent<T> {
  return { type: e.type, revision: e.revision, object: clone(e.object) };
}
