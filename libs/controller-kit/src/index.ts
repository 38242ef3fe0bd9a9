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
  controllerOwnerKey,
  controllerRef,
  isControlledBy,
  newControllerRef,
} from './owner-references';
export { formatTime, parseTime } from './kube-time';
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
  type Owned,
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
export {
  InformerFactory,
  type InformerFactoryOptions,
  type PortFor,
  type Selectors,
} from './informer-factory';
export { loopRunnable, type Runnable } from './runnable';
export {
  defaultIdentity,
  Manager,
  type AddOptions,
  type LeaderElectionConfig,
  type ManagerOptions,
  type RunContext,
  type RunnableFactory,
} from './manager';
export { leaseTimings, ManagedComponent, type LeaseTimings } from './managed-component';
export {
  EventType,
  type CoreEvent,
  type EventPatch,
  type EventSource,
  type ObjectReference,
} from './events/core-event';
export { buildEvent, referenceTo, type EventInput, type EventOrigin } from './events/event-builder';
export {
  EventCorrelator,
  type Correlation,
  type EventCorrelatorOptions,
} from './events/event-correlator';
export { EventSink, type EventSinkOptions } from './events/event-sink';
export {
  EventBroadcaster,
  type EventBroadcasterOptions,
  type EventDetails,
  type EventPort,
  type EventRecorder,
  type EventSubject,
} from './events/event-broadcaster';
/** In-memory fakes and a fake clock for tests anywhere in the repo. */
export * as testing from './testing';
export * from './adapters';
