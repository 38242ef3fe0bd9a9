import type { Filter } from '../contract/objects';
import { BASE_FIELDS, parseFieldSelector, type FieldSelector } from './field-selector';
import { parseLabelSelector, type LabelSelector } from './label-selector';

/** Fields a field selector may name, per resource, beyond metadata.name and metadata.namespace. */
export type IndexedFields = Readonly<Record<string, readonly string[]>>;

/** Parses a filter's selectors once (BadRequest on bad syntax or a field that is not indexed). */
export function parseSelectors(
  resource: string,
  f: Filter,
  indexedFields: IndexedFields,
): { labels: LabelSelector; fields: FieldSelector } {
  const allowed = [...BASE_FIELDS, ...(indexedFields[resource] ?? [])];
  return {
    labels: parseLabelSelector(f.labelSelector),
    fields: parseFieldSelector(f.fieldSelector, allowed),
  };
}
