import { Counter, Histogram, type Registry } from 'prom-client';

/** gRPC call metrics, named as go-grpc-prometheus names them (what dashboards expect). */
export class GrpcMetrics {
  private readonly handled: Counter<'grpc_service' | 'grpc_method' | 'grpc_type' | 'grpc_code'>;
  private readonly seconds: Histogram<'grpc_service' | 'grpc_method' | 'grpc_type'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls completed on the server, by service, method, type and status code',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type', 'grpc_code'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Latency of unary gRPC calls until the answer is sent',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  /** `path` is the call's `/package.Service/Method`; `code` its gRPC status code. */
  observe(path: string, streaming: boolean, code: number, seconds: number): void {
    const [, service = '', method = ''] = path.split('/');
    const type = streaming ? 'server_stream' : 'unary';
    const labels = { grpc_service: service, grpc_method: method, grpc_type: type };
    this.handled.inc({ ...labels, grpc_code: String(code) });
    if (!streaming) this.seconds.observe(labels, seconds);
  }
}
