import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service instance (not prom-client's global one), so several
 * services can run in one process — the k3s-style "together" mode and tests — without their
 * metric names colliding. Services add their own metrics with `registers: [registry]`.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Nest injection token for the service's prom-client `Registry`. */
export const METRICS_REGISTRY = Symbol.for('bosun.service-host.metrics-registry');
