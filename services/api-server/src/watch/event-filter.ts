import {
  matches,
  parseFieldSelector,
  parseLabelSelector,
  type Filter,
  type Selector,
  type StoredObject,
  type StoreEvent,
} from '@bosun/store';

/** Which resource type and namespace (and name) an event concerns; selectors are not applied. */
export function scopeMatcher(filter: Filter): (e: StoreEvent) => boolean {
  return (e) =>
    (filter.group === undefined || e.key.group === filter.group) &&
    (filter.resource === undefined || e.key.resource === filter.resource) &&
    (filter.namespace === undefined || e.key.namespace === filter.namespace) &&
    (filter.name === undefined || e.key.name === filter.name);
}

/**
 * The label and field selectors of `filter` as an object predicate (the store's in-memory twin
 * of its SQL). `allowedFields` are the kind's selectable fields; others are a 400.
 */
export function selectorMatcher(
  filter: Filter,
  allowedFields: readonly string[],
): (obj: StoredObject) => boolean {
  const selector: Selector = {
    labels: parseLabelSelector(filter.labelSelector),
    fields: parseFieldSelector(filter.fieldSelector, allowedFields),
  };
  return (obj) => matches(obj, selector);
}

/**
 * Turns the raw event stream of one scope into what a watch with selectors must see: an object
 * that stops matching is DELETED, one that starts matching is ADDED (as Kubernetes' watch cache
 * does). `known` seeds the objects the client already has (from the initial list); a watch resumed
 * from a resourceVersion cannot know them, so there an object leaving the selection is only
 * reported once it was seen matching on this watch.
 */
export function selectionTracker(
  selects: (obj: StoredObject) => boolean,
  known: Iterable<StoredObject> | undefined,
): (e: StoreEvent) => { type: string; object: StoredObject } | undefined {
  const keyOf = (o: StoredObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const inView = new Set([...(known ?? [])].map(keyOf));
  const knowsAll = known !== undefined;
  return (e) => {
    const key = keyOf(e.object);
    const matching = selects(e.object);
    const was = inView.has(key);
    if (e.type === 'DELETED') {
      inView.delete(key);
      return was || matching ? { type: 'DELETED', object: e.object } : undefined;
    }
    if (matching) {
      inView.add(key);
      const entering = !was && knowsAll && e.type !== 'ADDED';
      return { type: entering ? 'ADDED' : e.type, object: e.object };
    }
    if (was) {
      inView.delete(key);
      return { type: 'DELETED', object: e.object };
    }
    // A watch resumed from a revision learns its view as it goes: an unseen object that does not
    // match is not reported.
    return undefined;
  };
}
