export { connectNats } from './nats-connection';
export {
  startRelay,
  RELAY_CHECKPOINT,
  RELAY_LEADERSHIP,
  type Relay,
  type RelayOptions,
  type RelayStore,
} from './relay';
export { watch, type Watch, type WatchOptions, type WatchStats } from './watch';
export {
  DEFAULT_PREFIX,
  streamName,
  eventSubject,
  filterSubject,
  allEventsSubject,
} from './subjects';
export { REVISION_HEADER, type StreamLimits } from './stream';
export { eventPredicate, type EventPredicate } from './selectors';
export { watchIterator, type WatchIterator, type WatchIteratorOptions } from './watch-iterator';
