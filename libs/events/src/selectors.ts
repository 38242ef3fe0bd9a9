import { matches, parseFieldSelector, parseLabelSelector } from '@bosun/store';
import type { Filter, StoreEvent } from '@bosun/store';

export type EventPredicate = (event: StoreEvent) => boolean;

/**
 * Everything in `filter` as one in-memory predicate: what a NATS subject cannot express (name,
 * label and field selectors) plus the key fields, for safety. It uses the store's own evaluator, the
 * twin of the SQL that filters the Postgres catch-up, so both paths of a watch agree. A malformed
 * selector throws BadRequest here, before the watch starts.
 */
export function eventPredicate(filter: Filter = {}): EventPredicate {
  const selector = {
    labels: parseLabelSelector(filter.labelSelector),
    fields: parseFieldSelector(filter.fieldSelector),
  };
  return (e) =>
    (filter.group === undefined || e.key.group === filter.group) &&
    (filter.resource === undefined || e.key.resource === filter.resource) &&
    (filter.namespace === undefined || e.key.namespace === filter.namespace) &&
    (filter.name === undefined || e.key.name === filter.name) &&
    matches(e.object, selector);
}
