import { isBosunError, ErrorCode } from '@bosun/common';
import { ChangeKind, type Change, type EventLog } from '../contract/event-log';
import type { ObjectKey, ResourceType, StoredObject } from '../contract/objects';
import type {
  DeleteOptions,
  ListOptions,
  ListResult,
  ObjectStore,
  UpdateOptions,
  WriteOptions,
} from '../contract/object-store';
import { applyOp } from '../log/write-plan';
import { parseSelectors, type IndexedFields } from '../selectors/parse-selectors';
import { notFound, unavailable } from '../store-errors';
import { checkSize, validateKey, validateScope, validateShape } from '../validation';
import { randomSuffix } from './generate-name';
import { retryOnConflict } from './retry-on-conflict';
import type { Projection } from './projection';

const GENERATE_ATTEMPTS = 8;

/**
 * The `ObjectStore` of any dialect, as kine layers its key-value API over its log: reads come from
 * the dialect's `Projection`, every write is validated here and becomes one `EventLog.append`.
 */
export class LogStructuredStore implements ObjectStore {
  private closed = false;

  constructor(
    private readonly log: Pick<EventLog, 'append'>,
    private readonly projection: Projection,
    private readonly indexedFields: IndexedFields,
  ) {}

  /** Refuses every later write; the owner then flushes the log. */
  close(): void {
    this.closed = true;
  }

  private submit(change: Change, dryRun?: boolean): Promise<StoredObject> {
    if (this.closed) return Promise.reject(unavailable('the store is closed'));
    if (dryRun) return this.dryRun(change);
    return this.log.append(change);
  }

  private async dryRun(change: Change): Promise<StoredObject> {
    const cur = await this.projection.readRow(change.key);
    const out = applyOp(change, cur, cur?.revision ?? 0).event.object;
    if (change.kind === ChangeKind.Delete) return cur!.object;
    out.metadata.resourceVersion =
      cur && change.kind === ChangeKind.Update ? String(cur.revision) : undefined;
    if (out.metadata.resourceVersion === undefined) delete out.metadata.resourceVersion;
    return out;
  }

  private keyOf(type: ResourceType, namespace: string, name: string): ObjectKey {
    return { group: type.group, resource: type.resource, namespace, name };
  }

  /** Validates what is about to be written; returns its key. */
  private checkWrite(type: ResourceType, obj: StoredObject, name: string): ObjectKey {
    validateShape(type, obj);
    const namespace = obj.metadata.namespace ?? '';
    validateKey(type, namespace, name);
    checkSize(type, name, JSON.stringify(obj));
    return this.keyOf(type, namespace, name);
  }

  async create(
    type: ResourceType,
    obj: StoredObject,
    opts: WriteOptions = {},
  ): Promise<StoredObject> {
    validateShape(type, obj);
    const generate = !obj.metadata.name && !!obj.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      const name = generate
        ? obj.metadata.generateName! + randomSuffix()
        : (obj.metadata.name ?? '');
      const key = this.checkWrite(type, obj, name);
      try {
        return await this.submit(
          { kind: ChangeKind.Create, type, key, obj, actor: opts.actor ?? '' },
          opts.dryRun,
        );
      } catch (e) {
        if (!generate || !isBosunError(e, ErrorCode.AlreadyExists) || attempt >= GENERATE_ATTEMPTS)
          throw e;
      }
    }
  }

  async get(type: ResourceType, namespace: string, name: string): Promise<StoredObject> {
    validateScope(type, namespace);
    const row = await this.projection.readRow(this.keyOf(type, namespace, name));
    if (!row) throw notFound(type, name);
    return row.object;
  }

  async list(type: ResourceType, opts: ListOptions = {}): Promise<ListResult> {
    if (!type.namespaced && opts.namespace) validateScope(type, opts.namespace);
    return this.projection.list(
      {
        type,
        namespace: opts.namespace || undefined,
        name: opts.name || undefined,
        ...parseSelectors(type.resource, opts, this.indexedFields),
      },
      opts,
    );
  }

  async update(
    type: ResourceType,
    obj: StoredObject,
    opts: UpdateOptions = {},
  ): Promise<StoredObject> {
    validateShape(type, obj);
    const key = this.checkWrite(type, obj, obj.metadata.name ?? '');
    const change = {
      kind: ChangeKind.Update,
      type,
      key,
      obj,
      actor: opts.actor ?? '',
      resourceVersion: opts.resourceVersion,
    };
    return this.submit(change, opts.dryRun);
  }

  async guaranteedUpdate(
    type: ResourceType,
    namespace: string,
    name: string,
    mutate: (current: StoredObject) => StoredObject | Promise<StoredObject>,
    opts: WriteOptions = {},
  ): Promise<StoredObject> {
    return retryOnConflict(async () => {
      const current = await this.get(type, namespace, name);
      const next = await mutate(structuredClone(current));
      const resourceVersion = current.metadata.resourceVersion;
      return () => this.update(type, next, { ...opts, resourceVersion });
    });
  }

  async delete(
    type: ResourceType,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<StoredObject> {
    validateScope(type, namespace);
    const key = this.keyOf(type, namespace, name);
    const change = {
      kind: ChangeKind.Delete,
      type,
      key,
      actor: opts.actor ?? '',
      resourceVersion: opts.resourceVersion,
      uid: opts.uid,
    };
    return this.submit(change, opts.dryRun);
  }
}
