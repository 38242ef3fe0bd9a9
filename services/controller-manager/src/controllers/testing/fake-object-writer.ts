import { BosunError, createLogger, ErrorCode } from '@bosun/common';
import { Informer, objectKey, type Clock, type KubeObject } from '@bosun/controller-kit';
import { testing } from '@bosun/controller-kit';
import type { DeleteOptions, ObjectWriter, Resource } from '../object-writer';

type Port = testing.InMemoryResourcePort<KubeObject>;

/**
 * An api-server in memory for controller unit tests: one InMemoryResourcePort per resource (so
 * informers built with `informer()` see every write at once), names from generateName, creation
 * timestamps from the test's clock, status writes that touch only status, and a log of every
 * write (`create pods ns/name`, `status jobs ns/name`, `delete pods ns/name grace=0`).
 */
export class FakeObjectWriter implements ObjectWriter {
  readonly log: string[] = [];
  private readonly ports = new Map<string, Port>();
  private nameCounter = 0;
  /** Makes the next write fail with this error (a Conflict, an outage...). */
  failNext: BosunError | undefined;

  constructor(private readonly clock: Clock) {}

  port(resource: Resource): Port {
    let port = this.ports.get(resource.resource);
    if (!port) {
      port = new testing.InMemoryResourcePort<KubeObject>();
      this.ports.set(resource.resource, port);
    }
    return port;
  }

  /** Seeds an object without logging it as a controller write. */
  seed<T extends KubeObject>(resource: Resource, obj: T): T {
    const copy = structuredClone(obj) as KubeObject;
    copy.metadata['creationTimestamp'] ??= new Date(this.clock.now()).toISOString();
    return this.port(resource).create(copy) as T;
  }

  /** Replaces a seeded object as another actor would (no log entry). */
  replace<T extends KubeObject>(resource: Resource, obj: T): T {
    const copy = structuredClone(obj) as KubeObject;
    delete copy.metadata.resourceVersion;
    return this.port(resource).update(copy) as T;
  }

  get<T extends KubeObject>(resource: Resource, namespace: string, name: string): T | undefined {
    return this.port(resource).get(namespace, name) as T | undefined;
  }

  async list<T extends KubeObject>(resource: Resource): Promise<T[]> {
    return (await this.port(resource).list()).items as T[];
  }

  /** A started informer over the resource's port. */
  async informer<T extends KubeObject>(resource: Resource): Promise<Informer<T>> {
    const informer = new Informer<T>({
      name: resource.resource,
      port: this.port(resource) as testing.InMemoryResourcePort<T>,
      clock: this.clock,
      logger: createLogger('test', 'silent'),
    });
    await informer.start();
    return informer;
  }

  async create<T extends KubeObject>(resource: Resource, obj: T): Promise<T> {
    this.maybeFail();
    const copy = structuredClone(obj) as KubeObject;
    const generate = copy.metadata['generateName'];
    if (!copy.metadata.name && typeof generate === 'string') {
      copy.metadata.name = `${generate}${(++this.nameCounter).toString(36).padStart(5, '0')}`;
    }
    copy.metadata['creationTimestamp'] = new Date(this.clock.now()).toISOString();
    const created = this.port(resource).create(copy) as T;
    this.log.push(`create ${resource.resource} ${objectKey(created)}`);
    return created;
  }

  async update<T extends KubeObject>(resource: Resource, obj: T): Promise<T> {
    this.maybeFail();
    const updated = this.port(resource).update(structuredClone(obj)) as T;
    this.log.push(`update ${resource.resource} ${objectKey(updated)}`);
    return updated;
  }

  async updateStatus<T extends KubeObject>(resource: Resource, obj: T): Promise<T> {
    this.maybeFail();
    const current = this.port(resource).get(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    if (!current) throw new BosunError(ErrorCode.NotFound, `${objectKey(obj)} not found`);
    if (obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw new BosunError(ErrorCode.Conflict, `${objectKey(obj)} was modified`);
    }
    const next = { ...current, status: structuredClone(obj['status']) };
    const updated = this.port(resource).update(next) as T;
    this.log.push(`status ${resource.resource} ${objectKey(updated)}`);
    return updated;
  }

  async delete(
    resource: Resource,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<void> {
    this.maybeFail();
    this.port(resource).delete(namespace, name);
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
