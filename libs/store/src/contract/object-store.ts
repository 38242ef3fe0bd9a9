import type { Filter, ResourceType, StoredObject } from './objects';

export interface WriteOptions {
  readonly actor?: string;
  /** Validate and compute the result without committing it (Kubernetes dry-run). */
  readonly dryRun?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** Precondition: fails with Conflict unless the stored resourceVersion equals this. */
  readonly resourceVersion?: string;
}

export interface DeleteOptions extends WriteOptions {
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface ListOptions extends Filter {
  readonly limit?: number;
  readonly continue?: string;
  /**
   * '' or absent: most recent (a consistent snapshot). A revision: the state exactly at that
   * revision (Gone when compacted).
   */
  readonly resourceVersion?: string;
}

export interface ListResult {
  readonly items: StoredObject[];
  /** The snapshot revision the whole list (all its pages) was read at. */
  readonly revision: number;
  /** Opaque token for the next page, absent on the last page. */
  readonly continue?: string;
  /** Objects left after this page, when known. */
  readonly remainingItemCount?: number;
}

/**
 * The objects as of the head of the log (the projection, I6), read and written with Kubernetes'
 * semantics: validation, generateName, preconditions (I5), dry-run, selectors and pagination.
 * Every write is an `EventLog.append`; the caller is answered after it commits (I1).
 */
export interface ObjectStore {
  create(type: ResourceType, obj: StoredObject, opts?: WriteOptions): Promise<StoredObject>;
  get(type: ResourceType, namespace: string, name: string): Promise<StoredObject>;
  list(type: ResourceType, opts?: ListOptions): Promise<ListResult>;
  update(type: ResourceType, obj: StoredObject, opts?: UpdateOptions): Promise<StoredObject>;
  /** Read-modify-write with retry on conflict; `mutate` gets a private copy to change. */
  guaranteedUpdate(
    type: ResourceType,
    namespace: string,
    name: string,
    mutate: (current: StoredObject) => StoredObject | Promise<StoredObject>,
    opts?: WriteOptions,
  ): Promise<StoredObject>;
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    opts?: DeleteOptions,
  ): Promise<StoredObject>;
}
