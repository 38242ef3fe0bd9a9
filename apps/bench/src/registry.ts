/**
 * Each benchmark is one or more parts, each a function exported by a project's `bench` entry
 * point. The imports are written out, so the compiler checks every part and Nx sees every
 * project the runner depends on; they are dynamic so a run loads only the benchmark it runs.
 */
export interface BenchPart {
  /** The entry point and the function, as the runner reports it. */
  readonly name: string;
  run(): Promise<Record<string, number>>;
}

export const BENCHMARKS: Record<string, { readonly parts: readonly BenchPart[] }> = {
  store: {
    parts: [
      {
        name: '@bosun/store/bench benchStoreWrites',
        run: async () => (await import('@bosun/store/bench')).benchStoreWrites(),
      },
      {
        name: '@bosun/events/bench benchWatchLatency',
        run: async () => (await import('@bosun/events/bench')).benchWatchLatency(),
      },
    ],
  },
  api: {
    parts: [
      {
        name: '@bosun/api-server-service/bench benchApi',
        run: async () => (await import('@bosun/api-server-service/bench')).benchApi(),
      },
    ],
  },
  // End to end first (api-server + scheduler service, pods bound through the API), then the pure
  // placement part, whose keys start with placement_ so the two never collide.
  scheduler: {
    parts: [
      {
        name: '@bosun/scheduler-service/bench benchScheduler',
        run: async () => (await import('@bosun/scheduler-service/bench')).benchScheduler(),
      },
      {
        name: '@bosun/scheduling/bench benchSchedule',
        run: async () => (await import('@bosun/scheduling/bench')).benchSchedule(),
      },
      // Controller-manager throughput (keys start with deployments_): 1,000 Deployments of one
      // replica created through the API until each has its ReplicaSet and pod.
      {
        name: '@bosun/controller-manager-service/bench benchDeployments',
        run: async () =>
          (await import('@bosun/controller-manager-service/bench')).benchDeployments(),
      },
    ],
  },
  'pod-startup': {
    parts: [
      {
        name: '@bosun/node-agent-service/bench benchPodStartup',
        run: async () => (await import('@bosun/node-agent-service/bench')).benchPodStartup(),
      },
    ],
  },
};
