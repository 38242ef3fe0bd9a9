export { FakeClock, flushPromises } from './fake-clock';
export { InMemoryResourcePort } from './in-memory-resource-port';
export { InMemoryLeasePort } from './in-memory-lease-port';
export { InMemoryEventPort } from './in-memory-event-port';
