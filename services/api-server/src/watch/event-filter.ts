import {
  matches,
  parseFieldSelector,
  parseLabelSelector,
  type Filter,
  type Selector,
  type StoreEvent,
} from '@bosun/store';

/**
 * The in-memory twin of the store's Filter for events the watch hub fans out. `allowedFields`
 * are the field selector keys the kind supports; others are a 400 from the parser.
 */
export function eventMatcher(
  filter: Filter,
  allowedFields: readonly string[],
): (e: StoreEvent) => boolean {
  const selector: Selector = {
    labels: parseLabelSelector(filter.labelSelector),
    fields: parseFieldSelector(filter.fieldSelector, allowedFields),
  };
  return (e) =>
    (filter.group === undefined || e.key.group === filter.group) &&
    (filter.resource === undefined || e.key.resource === filter.resource) &&
    (filter.namespace === undefined || e.key.namespace === filter.namespace) &&
    (filter.name === undefined || e.key.name === filter.name) &&
    matches(e.object, selector);
}
