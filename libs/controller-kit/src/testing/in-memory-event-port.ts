import { BosunError, ErrorCode } from '@bosun/common';
import type { CoreEvent, EventPatch } from '../events/core-event';
import type { EventPort } from '../events/event-broadcaster';

/** core/v1 Events in memory, keyed `namespace/name`, with every write logged for assertions. */
export class InMemoryEventPort implements EventPort {
  readonly events = new Map<string, CoreEvent>();
  /** `create ns/name` and `patch ns/name count=N`, in order. */
  readonly writes: string[] = [];

  async create(event: CoreEvent): Promise<CoreEvent> {
    const key = `${event.metadata.namespace}/${event.metadata.name}`;
    if (this.events.has(key)) throw new BosunError(ErrorCode.AlreadyExists, `${key} exists`);
    this.events.set(key, structuredClone(event));
    this.writes.push(`create ${key}`);
    return event;
  }

  async patch(namespace: string, name: string, patch: EventPatch): Promise<CoreEvent> {
    const key = `${namespace}/${name}`;
    const current = this.events.get(key);
    if (!current) throw new BosunError(ErrorCode.NotFound, `${key} not found`);
    const next = { ...current, ...patch };
    this.events.set(key, next);
    this.writes.push(`patch ${key} count=${patch.count}`);
    return next;
  }

  list(): CoreEvent[] {
    return [...this.events.values()];
  }
}
