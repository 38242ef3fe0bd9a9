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
  // End to end first (api-server + scheduler service, pods bound through the API), then the pure
  // placement part, whose keys start with placement_ so the two never collide.
  scheduler: {
    parts: [
      { file: 'services/scheduler/bench/scheduler.ts', fn: 'benchScheduler' },
      { file: 'libs/scheduling/bench/schedule.ts', fn: 'benchSchedule' },
      // Controller-manager throughput (keys start with deployments_): 1,000 Deployments of one
      // replica created through the API until each has its ReplicaSet and pod.
      { file: 'services/controller-manager/bench/deployments.ts', fn: 'benchDeployments' },
    ],
  },
  'pod-startup': {
    parts: [{ file: 'services/node-agent/bench/pod-startup.ts', fn: 'benchPodStartup' }],
  },
};
