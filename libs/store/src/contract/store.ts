import type { Coordination } from './coordination';
import type { EventLog } from './event-log';
import type { ObjectStore } from './object-store';

/**
 * The whole store, for the one process that needs all of it (the api-server). Everything else asks
 * for the part it uses: the watch and the relay take an `EventLog`, the relay also `Coordination`.
 */
export interface Store extends EventLog, ObjectStore, Coordination {
  /** Answers every queued write, then closes the connections. */
  close(): Promise<void>;
}
