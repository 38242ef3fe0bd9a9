import { BosunError, ErrorCode } from '@bosun/common';
import type { ResourceAttributes } from '../auth/authorizer';

/**
 * Bosun's own read-only views of the event log, under `/apis/bosun.dev/v1` but deliberately not in
 * discovery (they are not resources, and kubectl must not try to list them):
 *
 * - `GET /apis/bosun.dev/v1/history/{group|core}/{version}/{resource}/{name}?namespace=ns`
 * - `GET /apis/bosun.dev/v1/events?after=&limit=&follow=`
 */
export const BOSUN_API_PREFIX = '/apis/bosun.dev/v1';

export type BosunRoute =
  | {
      readonly kind: 'history';
      readonly group: string;
      readonly version: string;
      readonly resource: string;
      readonly name: string;
    }
  | { readonly kind: 'events' };

/** The route `path` names, undefined when it is not one of these (so it is routed as usual). */
export function matchBosunRoute(path: string): BosunRoute | undefined {
  if (path === `${BOSUN_API_PREFIX}/events`) return { kind: 'events' };
  const prefix = `${BOSUN_API_PREFIX}/history/`;
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/');
  if (parts.length !== 4 || parts.some((p) => p === ''))
    throw new BosunError(
      ErrorCode.NotFound,
      `history paths are ${prefix}{group or "core"}/{version}/{resource}/{name}`,
    );
  const [group, version, resource, name] = parts.map(decode);
  return { kind: 'history', group: group === 'core' ? '' : group, version, resource, name };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BosunError(ErrorCode.BadRequest, `malformed path segment "${s}"`);
  }
}

/**
 * What the authorizer is asked: reading an object's history is `get` on that object; the whole
 * log is `watch` on every resource (`*`), which only administrators and components hold.
 */
export function routeAttributes(route: BosunRoute, namespace: string): ResourceAttributes {
  if (route.kind === 'events') return { verb: 'watch', group: '*', resource: '*' };
  return {
    verb: 'get',
    group: route.group,
    version: route.version,
    resource: route.resource,
    namespace,
    name: route.name,
  };
}
