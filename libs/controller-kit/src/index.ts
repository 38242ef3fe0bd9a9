export type {
  KubeObject,
  OwnerReference,
  ListWatchPort,
  ListResult,
  WatchEvent,
  StopWatch,
} from './types';
export { WatchEventType } from './types';
export { realClock, type Clock, type TimerHandle } from './clock';
export { deepFreeze } from './deep-freeze';
export { objectKey, splitKey, revisionOf } from './object-key';
export {
  IndexName,
  byNamespace,
  byLabel,
  byOwnerUid,
  byNodeName,
  defaultIndexers,
  type IndexFunc,
} from './indexers';
export { Informer, type EventHandlers, type InformerOptions } from './informer';
export {
  ItemExponentialBackoff,
  TokenBucket,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rate-limiters';
export { WorkQueue, type WorkQueueOptions } from './work-queue';
export { kitMetrics, type KitMetrics } from './metrics';
export {
  defineController,
  Outcome,
  type Controller,
  type ControllerDefinition,
  type KeyOf,
  type Reconcile,
  type ReconcileContext,
  type Result,
} from './controller';
export {
  formatMicroTime,
  parseMicroTime,
  type Lease,
  type LeaseSpec,
  type LeasePort,
} from './lease';
export { LeaderElector, type LeaderElectorOptions } from './leader-elector';
/** In-memory fakes and a fake clock for tests anywhere in the repo. */
export * as testing from './testing';
export * from './adapters';
