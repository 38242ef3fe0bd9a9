import type { ResourceRef } from '@bosun/api-client';
import { BosunError, createLogger } from '@bosun/common';
import { Informer, objectKey, testing, type Clock, type KubeObject } from '@bosun/controller-kit';
import type { DeleteOptions } from '../../ports/write-port';
import { FakeCluster } from '../../testing/fake-cluster';

/**
 * The in-memory cluster (`FakeCluster`) seen as a one-line log of every write, for the tests that
 * read it that way (`create pods ns/name`, `status jobs ns/name`, `delete pods ns/name grace=0`),
 * with started informers from `informer()` and `failNext` to make the next write fail.
 */
export class FakeObjectWriter extends FakeCluster {
  readonly log: string[] = [];
  /** Makes the next write fail with this error (a Conflict, an outage...). */
  failNext: BosunError | undefined;

  constructor(private readonly time: Clock) {
    super(() => time.now());
  }

  port(resource: ResourceRef) {
    return this.store(resource);
  }

  /** Replaces a seeded object as another actor would (no log entry). */
  replace<T extends KubeObject>(resource: ResourceRef, obj: T): T {
    const copy = structuredClone(obj) as KubeObject;
    delete copy.metadata.resourceVersion;
    return this.store(resource).update(copy) as T;
  }

  /** A started informer over the resource's store. */
  async informer<T extends KubeObject>(resource: ResourceRef): Promise<Informer<T>> {
    const informer = new Informer<T>({
      name: resource.resource,
      port: this.store(resource) as testing.InMemoryResourcePort<T>,
      clock: this.time,
      logger: createLogger('test', 'silent'),
    });
    await informer.start();
    return informer;
  }

  override async create<T extends KubeObject>(resource: ResourceRef, obj: T): Promise<T> {
    this.maybeFail();
    const created = await super.create(resource, obj);
    this.log.push(`create ${resource.resource} ${objectKey(created)}`);
    return created;
  }

  override async update<T extends KubeObject>(resource: ResourceRef, obj: T): Promise<T> {
    this.maybeFail();
    const updated = await super.update(resource, obj);
    this.log.push(`update ${resource.resource} ${objectKey(updated)}`);
    return updated;
  }

  override async updateStatus<T extends KubeObject>(resource: ResourceRef, obj: T): Promise<T> {
    this.maybeFail();
    const updated = await super.updateStatus(resource, obj);
    this.log.push(`status ${resource.resource} ${objectKey(updated)}`);
    return updated;
  }

  override async delete(
    resource: ResourceRef,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<void> {
    this.maybeFail();
    await super.delete(resource, namespace, name, opts);
    const extra = [
      opts.gracePeriodSeconds === undefined ? '' : ` grace=${opts.gracePeriodSeconds}`,
      opts.propagationPolicy === undefined ? '' : ` ${opts.propagationPolicy}`,
    ].join('');
    this.log.push(`delete ${resource.resource} ${namespace ? `${namespace}/` : ''}${name}${extra}`);
  }

  /** Returns the log so far and starts a new one. */
  take(): string[] {
    return this.log.splice(0);
  }

  private maybeFail(): void {
    const error = this.failNext;
    this.failNext = undefined;
    if (error) throw error;
  }
}
