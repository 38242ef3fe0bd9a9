import { Counter, Histogram, type Registry } from 'prom-client';

/** The api-server's request metrics, named as kube-apiserver names them. */
export class RequestMetrics {
  private readonly duration: Histogram<'verb' | 'resource' | 'subresource' | 'code'>;
  private readonly total: Counter<'verb' | 'resource' | 'code'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency of non-watch requests by verb, resource and HTTP code',
      labelNames: ['verb', 'resource', 'subresource', 'code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.total = new Counter({
      name: 'apiserver_request_total',
      help: 'Requests by verb, resource and HTTP code',
      labelNames: ['verb', 'resource', 'code'],
      registers,
    });
  }

  observe(
    verb: string,
    resource: string,
    subresource: string,
    code: number,
    seconds: number,
  ): void {
    const c = String(code);
    this.total.inc({ verb, resource, code: c });
    if (verb !== 'watch') this.duration.observe({ verb, resource, subresource, code: c }, seconds);
  }
}
