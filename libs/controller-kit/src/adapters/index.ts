export type { RestClient, RestListQuery, RestResourceRef, RestWatchEvent } from './rest-client';
export { apiListWatchPort, type ApiListWatchOptions } from './api-list-watch-port';
export { apiLeasePort } from './api-lease-port';
export { apiEventPort, type EventRestClient } from './api-event-port';
