import type { Filter, ObjectKey } from '@bosun/store';

/** The default prefix of every stream and subject Bosun publishes its log under. */
export const DEFAULT_PREFIX = 'bosun';

/** `<prefix>_EVENTS`: one stream per prefix, so tests and clusters sharing a server never mix. */
export function streamName(prefix: string): string {
  return `${prefix}_EVENTS`;
}

/** Every subject of the log: `<prefix>.ev.>`. */
export function allEventsSubject(prefix: string): string {
  return `${prefix}.ev.>`;
}

// '_' cannot appear in a DNS name, so it is free to stand for '.' in a group and for the empty
// namespace of cluster-scoped objects without colliding with a real name.
const groupToken = (group: string): string => (group === '' ? 'core' : group.replace(/\./g, '_'));
const namespaceToken = (namespace: string): string => (namespace === '' ? '_' : namespace);

/** `<prefix>.ev.<group>.<resource>.<namespace>` for one event's key. */
export function eventSubject(prefix: string, key: ObjectKey): string {
  return `${prefix}.ev.${groupToken(key.group)}.${key.resource}.${namespaceToken(key.namespace)}`;
}

/**
 * The one filter subject a consumer can use on nats-server 2.9 for this filter: the parts the
 * filter fixes, '*' for the rest. What a subject cannot express (name, selectors) is filtered in
 * memory after it.
 */
export function filterSubject(prefix: string, filter: Filter = {}): string {
  const { group, resource, namespace } = filter;
  if (group === undefined && resource === undefined && namespace === undefined) {
    return allEventsSubject(prefix);
  }
  const g = group === undefined ? '*' : groupToken(group);
  const r = resource === undefined ? '*' : resource;
  const n = namespace === undefined ? '*' : namespaceToken(namespace);
  return `${prefix}.ev.${g}.${r}.${n}`;
}
