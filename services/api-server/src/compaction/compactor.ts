import type { Logger } from '@bosun/common';
import type { EventLog } from '@bosun/store';

export interface CompactionOptions {
  /** How often to compact; 0 turns compaction off. */
  readonly intervalMs: number;
  /** History younger than this is kept whole (what `bosun history` and old watches can read). */
  readonly retainMs: number;
}

export interface Compactor {
  /** One pass now (also what the timer runs); resolves with the horizon after it. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Compacts the event log on a timer, as kube-apiserver compacts etcd every
 * `--etcd-compaction-interval`: events older than the retention window are dropped except each
 * object's state at the horizon (the store keeps the projection rebuildable). Every api-server may
 * run one; the store serializes compactions, so several replicas only repeat a no-op.
 */
export function startCompactor(store: EventLog, opts: CompactionOptions, log: Logger): Compactor {
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= store
      .compact({ keepMs: opts.retainMs })
      .then(
        ({ compactedRevision, deletedEvents }) => {
          if (deletedEvents > 0) {
            log.info({ compactedRevision, deletedEvents }, 'event log compacted');
          }
          return compactedRevision;
        },
        async (e: unknown) => {
          // A failed pass (Postgres restarting, …) is retried on the next tick; it never stops serving.
          log.warn({ err: e }, 'event log compaction failed; retrying on the next interval');
          return store.compactedRevision().catch(() => 0);
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  const timer =
    opts.intervalMs > 0 ? setInterval(() => void runOnce(), opts.intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
