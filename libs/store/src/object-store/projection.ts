import type { ObjectKey, ResourceType } from '../contract/objects';
import type { ListOptions, ListResult } from '../contract/object-store';
import type { FieldSelector } from '../selectors/field-selector';
import type { LabelSelector } from '../selectors/label-selector';
import type { CurrentRow } from '../log/write-op';

/** A list with its selectors already parsed. */
export interface ParsedList {
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
  readonly limit?: number;
}

/** The reads a dialect gives the object store: the projection's rows, and lists as of a revision. */
export interface Projection {
  /** The key's current row, or null when it does not exist. */
  readRow(key: ObjectKey): Promise<CurrentRow | null>;
  /** The latest state, or (`continue`, `resourceVersion`) the state as of a revision of the log. */
  list(query: Omit<ParsedList, 'limit'>, opts: ListOptions): Promise<ListResult>;
}
