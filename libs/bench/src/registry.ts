/** Each benchmark is one or more parts: a file (from the repo root) and the function it exports. */
export interface BenchPart {
  readonly file: string;
  readonly fn: string;
}

export const BENCHMARKS: Record<string, { readonly parts: readonly BenchPart[] }> = {
  store: {
    parts: [
      { file: 'libs/store/bench/store-writes.ts', fn: 'benchStoreWrites' },
      { file: 'libs/events/bench/watch-latency.ts', fn: 'benchWatchLatency' },
    ],
  },
  api: { parts: [{ file: 'services/api-server/bench/api.ts', fn: 'benchApi' }] },
  scheduler: { parts: [{ file: 'libs/scheduling/bench/schedule.ts', fn: 'benchSchedule' }] },
  'pod-startup': {
    parts: [{ file: 'services/node-agent/bench/pod-startup.ts', fn: 'benchPodStartup' }],
  },
};
