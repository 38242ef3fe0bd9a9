import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export interface KitMetrics {
  readonly queueDepth: Gauge<'name'>;
  readonly queueAdds: Counter<'name'>;
  readonly queueRetries: Counter<'name'>;
  readonly reconcileDuration: Histogram<'controller' | 'result'>;
  readonly reconcileTotal: Counter<'controller' | 'result'>;
}

const byRegistry = new WeakMap<Registry, KitMetrics>();

/**
 * One set of metrics per registry: every queue and controller in a process shares them, told
 * apart by label, because prom-client refuses to register a name twice.
 */
export function kitMetrics(registry: Registry = defaultRegistry): KitMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: KitMetrics = {
    queueDepth: new Gauge({
      name: 'bosun_workqueue_depth',
      help: 'Keys waiting in a work queue',
      labelNames: ['name'],
      registers,
    }),
    queueAdds: new Counter({
      name: 'bosun_workqueue_adds_total',
      help: 'Keys added to a work queue',
      labelNames: ['name'],
      registers,
    }),
    queueRetries: new Counter({
      name: 'bosun_workqueue_retries_total',
      help: 'Rate-limited re-adds to a work queue',
      labelNames: ['name'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'bosun_controller_reconcile_duration_seconds',
      help: 'Time spent in one reconcile call',
      labelNames: ['controller', 'result'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    reconcileTotal: new Counter({
      name: 'bosun_controller_reconcile_total',
      help: 'Reconcile calls by outcome',
      labelNames: ['controller', 'result'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
