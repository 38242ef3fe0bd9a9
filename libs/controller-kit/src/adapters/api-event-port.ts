import type { CoreEvent } from '../events/core-event';
import type { EventPort } from '../events/event-broadcaster';
import type { KubeObject } from '../types';
import type { RestClient, RestResourceRef } from './rest-client';

const MERGE_PATCH = 'application/merge-patch+json';

/** The slice of a client the Event adapter needs: `ApiClient` fits it as is. */
export interface EventRestClient extends Pick<RestClient, 'create'> {
  patch<T extends KubeObject>(
    ref: RestResourceRef,
    name: string,
    patch: unknown,
    type?: typeof MERGE_PATCH,
  ): Promise<T>;
}

const events = (namespace: string): RestResourceRef => ({
  group: '',
  version: 'v1',
  resource: 'events',
  namespace,
});

/** core/v1 Events on the api-server: create, and a merge patch to bump a repeated one. */
export function apiEventPort(client: EventRestClient): EventPort {
  return {
    create: (event: CoreEvent) => client.create(events(event.metadata.namespace), event),
    patch: (namespace, name, patch) => client.patch(events(namespace), name, patch, MERGE_PATCH),
  };
}
