import type { StoredObject } from '../contract/objects';
import { matchesFields, type FieldSelector } from './field-selector';
import { matchesLabels, type LabelSelector } from './label-selector';

export interface Selector {
  readonly labels?: LabelSelector;
  readonly fields?: FieldSelector;
}

/** The in-memory twin of the SQL the store generates: watch and informer layers filter with it. */
export function matches(obj: StoredObject, selector: Selector): boolean {
  if (selector.labels && !matchesLabels(obj.metadata?.labels, selector.labels)) return false;
  if (selector.fields && !matchesFields(obj, selector.fields)) return false;
  return true;
}
