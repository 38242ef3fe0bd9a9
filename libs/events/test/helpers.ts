import type { ResourceType, Store, StoreEvent } from '@bosun/store';
import { natsUrl, uniquePrefix, waitFor } from '@bosun/testing';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { streamName } from '../src/subjects';

export const PODS: ResourceType = { group: '', resource: 'pods', namespaced: true };
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  resource: 'deployments',
  namespaced: true,
};
export const NODES: ResourceType = { group: '', resource: 'nodes', namespaced: false };

/** Creates `count` objects one after another, named `<name>-<i>`; returns their revisions. */
export async function writeMany(
  store: Store,
  type: ResourceType,
  namespace: string,
  name: string,
  count: number,
  labels: Record<string, string> = {},
): Promise<number[]> {
  const revs: number[] = [];
  for (let i = 0; i < count; i++) {
    const obj = await store.create(type, {
      metadata: {
        name: `${name}-${i}`,
        namespace: type.namespaced ? namespace : undefined,
        labels,
      },
    });
    revs.push(Number(obj.metadata.resourceVersion));
  }
  return revs;
}

/** Several writer loops at once until `stop()`; every acknowledged revision is recorded. */
export function concurrentWriters(store: Store, loops: number, namespace = 'ns') {
  let stopped = false;
  const acked: number[] = [];
  const errors: unknown[] = [];
  const run = async (w: number): Promise<void> => {
    for (let i = 0; !stopped; i++) {
      try {
        const obj = await store.create(PODS, {
          metadata: {
            name: `w${w}-${i}`,
            namespace,
            labels: { writer: String(w), parity: i % 2 ? 'odd' : 'even' },
          },
        });
        acked.push(Number(obj.metadata.resourceVersion));
      } catch (e) {
        errors.push(e); // a store outage: the write was not acknowledged
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, w) => run(w)));
  return {
    acked,
    errors,
    async stop(): Promise<void> {
      stopped = true;
      await done;
    },
  };
}

/** Events collected by a watch, with a check that nothing came twice or out of order. */
export class Collector {
  readonly events: StoreEvent[] = [];
  readonly onEvent = (e: StoreEvent): void => {
    this.events.push(e);
  };
  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }
  async waitForRevision(rev: number, timeoutMs = 20_000): Promise<void> {
    await waitFor(() => (this.events.at(-1)?.revision ?? 0) >= rev, {
      timeoutMs,
      what: `watch to reach revision ${rev} (at ${this.events.at(-1)?.revision})`,
    });
  }
}

/** The revisions the stream holds, in stream order. */
export async function streamRevisions(nc: NatsConnection, prefix: string): Promise<number[]> {
  const jsm: JetStreamManager = await nc.jetstreamManager();
  const info = await jsm.streams.info(streamName(prefix));
  const out: number[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq++
  ) {
    const m = await jsm.streams.getMessage(streamName(prefix), { seq });
    out.push(Number(m.header.get('Bosun-Revision')));
  }
  return out;
}

/** The events the stream holds, in stream order. */
export async function streamEvents(nc: NatsConnection, prefix: string): Promise<StoreEvent[]> {
  const jsm: JetStreamManager = await nc.jetstreamManager();
  const info = await jsm.streams.info(streamName(prefix));
  const out: StoreEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    if (info.state.messages === 0) break;
    const m = await jsm.streams.getMessage(streamName(prefix), { seq });
    out.push(JSON.parse(new TextDecoder().decode(m.data)) as StoreEvent);
  }
  return out;
}

export async function deleteStream(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName(prefix)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** 1..n, for comparing a complete log. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

const prefixes: string[] = [];

/** A private stream prefix, remembered so `deleteTestStreams()` removes its stream afterwards. */
export function testPrefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

/** Deletes the streams of every prefix `testPrefix()` gave out (on the shared server). */
export async function deleteTestStreams(url = natsUrl()): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    for (const p of prefixes.splice(0))
      await jsm.streams.delete(streamName(p)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
