import type { ResourceRef } from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import { testing, type KubeObject, type PortFor } from '@bosun/controller-kit';
import { applyMergePatch } from '@bosun/resource-model';
import type { ReadPort } from '../ports/read-port';
import type { DeleteOptions, WritePort } from '../ports/write-port';

export interface FakeWrite {
  readonly verb: 'create' | 'update' | 'status' | 'patch' | 'delete' | 'finalize';
  readonly resource: string;
  /** `namespace/name` (just `name` when cluster-scoped). */
  readonly key: string;
  readonly object?: KubeObject;
  readonly patch?: unknown;
  readonly opts?: DeleteOptions;
}

type Meta = KubeObject['metadata'] & { finalizers?: string[]; deletionTimestamp?: string };

const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);
const POLICY_FINALIZER: Record<string, string> = {
  Foreground: 'foregroundDeletion',
  Orphan: 'orphan',
};

/**
 * An in-memory cluster for controller unit tests: one InMemoryResourcePort per resource (what the
 * informers list and watch, synchronously) and the write/read ports over them, recording every
 * write so a test checks exactly what a reconcile did. Deletion follows the api-server: with
 * finalizers (own or from the propagation policy) an object only gets a deletionTimestamp.
 */
export class FakeCluster implements WritePort, Omit<ReadPort, 'get'> {
  readonly writes: FakeWrite[] = [];
  private readonly stores = new Map<string, testing.InMemoryResourcePort<KubeObject>>();
  private names = 0;
  private clock: () => number;

  constructor(now: () => number = Date.now) {
    this.clock = now;
  }

  readonly portFor: PortFor = (ref) => this.store(ref);

  store(ref: ResourceRef): testing.InMemoryResourcePort<KubeObject> {
    let s = this.stores.get(ref.resource);
    if (!s) {
      s = new testing.InMemoryResourcePort<KubeObject>();
      this.stores.set(ref.resource, s);
    }
    return s;
  }

  /** Puts objects in place without recording a write (the world before the test). */
  seed<T extends KubeObject>(ref: ResourceRef, obj: T): T {
    const o = structuredClone(obj);
    o.metadata.creationTimestamp ??= new Date(this.clock()).toISOString();
    return this.store(ref).create(o) as T;
  }

  get<T extends KubeObject>(ref: ResourceRef, ns: string, name: string): T | undefined {
    return this.store(ref).get(ns, name) as T | undefined;
  }

  async all<T extends KubeObject>(ref: ResourceRef): Promise<T[]> {
    return (await this.store(ref).list()).items as T[];
  }

  clearWrites(): void {
    this.writes.length = 0;
  }

  async create<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    const o = structuredClone(obj);
    const meta = o.metadata as Meta & { generateName?: string };
    if (!meta.name && meta.generateName)
      meta.name = `${meta.generateName}${(++this.names).toString(36).padStart(5, '0')}`;
    meta.creationTimestamp = new Date(this.clock()).toISOString();
    if (o.metadata.generation === undefined && ref.resource !== 'pods') o.metadata.generation = 1;
    const stored = this.store(ref).create(o) as T;
    this.writes.push({
      verb: 'create',
      resource: ref.resource,
      key: keyOf(meta.namespace, meta.name ?? ''),
      object: stored,
    });
    return structuredClone(stored);
  }

  async update<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    const stored = this.store(ref).update(structuredClone(obj)) as T;
    this.writes.push({
      verb: 'update',
      resource: ref.resource,
      key: this.key(obj),
      object: stored,
    });
    return this.settle(ref, stored);
  }

  async updateStatus<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    const current = this.must(ref, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const next = { ...current, status: structuredClone(obj['status']) } as KubeObject;
    next.metadata = { ...current.metadata, resourceVersion: obj.metadata.resourceVersion };
    const stored = this.store(ref).update(next) as T;
    this.writes.push({
      verb: 'status',
      resource: ref.resource,
      key: this.key(obj),
      object: stored,
    });
    return stored;
  }

  async patch<T extends KubeObject>(
    ref: ResourceRef,
    ns: string,
    name: string,
    patch: unknown,
  ): Promise<T> {
    const current = this.must(ref, ns, name);
    const next = applyMergePatch(current, patch) as KubeObject;
    const rv = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    next.metadata.resourceVersion = rv ?? current.metadata.resourceVersion;
    const stored = this.store(ref).update(next) as T;
    this.writes.push({ verb: 'patch', resource: ref.resource, key: keyOf(ns, name), patch });
    return this.settle(ref, stored);
  }

  async delete(
    ref: ResourceRef,
    ns: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<void> {
    const current = this.must(ref, ns, name);
    this.writes.push({ verb: 'delete', resource: ref.resource, key: keyOf(ns, name), opts });
    const meta = current.metadata as Meta;
    const finalizers = new Set(meta.finalizers ?? []);
    const extra = opts.propagationPolicy && POLICY_FINALIZER[opts.propagationPolicy];
    if (extra) finalizers.add(extra);
    const nsFinalizers =
      ref.resource === 'namespaces'
        ? ((current['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [])
        : [];
    if (finalizers.size === 0 && nsFinalizers.length === 0) {
      this.store(ref).delete(ns, name);
      return;
    }
    if (ref.resource === 'namespaces') current['status'] = { phase: 'Terminating' };
    if (meta.deletionTimestamp && finalizers.size === (meta.finalizers ?? []).length) return;
    meta.deletionTimestamp ??= new Date(this.clock()).toISOString();
    if (finalizers.size > 0) meta.finalizers = [...finalizers];
    this.store(ref).update(current);
  }

  async finalizeNamespace<T extends KubeObject>(obj: T): Promise<T> {
    const ref = { group: '', version: 'v1', resource: 'namespaces' };
    const current = this.must(ref, '', obj.metadata.name ?? '');
    const next = { ...current, spec: structuredClone(obj['spec']) } as KubeObject;
    next.metadata = { ...current.metadata, resourceVersion: obj.metadata.resourceVersion };
    const stored = this.store(ref).update(next) as T;
    this.writes.push({
      verb: 'finalize',
      resource: 'namespaces',
      key: this.key(obj),
      object: stored,
    });
    const spec = stored['spec'] as { finalizers?: string[] } | undefined;
    const meta = stored.metadata as Meta;
    if (
      meta.deletionTimestamp &&
      !(spec?.finalizers ?? []).length &&
      !(meta.finalizers ?? []).length
    ) {
      this.store(ref).delete('', meta.name ?? '');
    }
    return stored;
  }

  /** Live reads can be made to lag or fail in a test by replacing this method. */
  async liveGet(ref: ResourceRef, ns: string, name: string): Promise<KubeObject | undefined> {
    return this.store(ref).get(ns, name);
  }

  async list(ref: ResourceRef, namespace: string): Promise<KubeObject[]> {
    const { items } = await this.store(ref).list();
    return items.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  private key(obj: KubeObject): string {
    return keyOf(obj.metadata.namespace, obj.metadata.name ?? '');
  }

  private must(ref: ResourceRef, ns: string, name: string): KubeObject {
    const o = this.store(ref).get(ns, name);
    if (!o)
      throw new BosunError(ErrorCode.NotFound, `${ref.resource} ${keyOf(ns, name)} not found`);
    return o;
  }

  /** An object marked for deletion whose last finalizer went is removed, as the api-server does. */
  private settle<T extends KubeObject>(ref: ResourceRef, obj: T): T {
    const meta = obj.metadata as Meta;
    if (
      meta.deletionTimestamp &&
      (meta.finalizers ?? []).length === 0 &&
      ref.resource !== 'namespaces'
    ) {
      this.store(ref).delete(meta.namespace ?? '', meta.name ?? '');
    }
    return structuredClone(obj);
  }
}
