import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const AttemptResult = {
  Scheduled: 'scheduled',
  Unschedulable: 'unschedulable',
  Error: 'error',
} as const;
export type AttemptResult = (typeof AttemptResult)[keyof typeof AttemptResult];

export interface QueueLengths {
  readonly active: number;
  readonly backoff: number;
  readonly unschedulable: number;
}

/** kube-scheduler's core metrics, under Bosun names, on the service's registry. */
export class SchedulerMetrics {
  private readonly attempts: Counter<'result'>;
  private readonly attemptDuration: Histogram<'result'>;
  private readonly e2e: Histogram;
  private lengths: () => QueueLengths = () => ({ active: 0, backoff: 0, unschedulable: 0 });

  constructor(registry: Registry) {
    const registers = [registry];
    const read = (): QueueLengths => this.lengths();
    new Gauge({
      name: 'bosun_scheduler_pending_pods',
      help: 'Pods waiting in each scheduling queue',
      labelNames: ['queue'],
      registers,
      collect() {
        const n = read();
        this.set({ queue: 'active' }, n.active);
        this.set({ queue: 'backoff' }, n.backoff);
        this.set({ queue: 'unschedulable' }, n.unschedulable);
      },
    });
    this.attempts = new Counter({
      name: 'bosun_scheduler_schedule_attempts_total',
      help: 'Scheduling attempts by result',
      labelNames: ['result'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'bosun_scheduler_scheduling_attempt_duration_seconds',
      help: 'From popping a pod to its bind settling (or to finding it unschedulable)',
      labelNames: ['result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.e2e = new Histogram({
      name: 'bosun_scheduler_pod_scheduling_duration_seconds',
      help: 'From a pod entering the queue to its bind (all attempts)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }

  /** The queue depths the gauge reports when scraped (the current leader term's queue). */
  watchQueue(lengths: () => QueueLengths): void {
    this.lengths = lengths;
  }

  attempt(result: AttemptResult, seconds: number): void {
    this.attempts.inc({ result });
    this.attemptDuration.observe({ result }, seconds);
  }

  scheduled(sinceQueuedSeconds: number): void {
    this.e2e.observe(sinceQueuedSeconds);
  }
}
