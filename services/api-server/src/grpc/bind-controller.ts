import {
  status as GrpcStatus,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Server,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '@bosun/common';
import { isBosunError } from '@bosun/common';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { toGrpcError } from './grpc-error';
import type { GrpcMetrics } from './grpc-metrics';

type Handler = (request: unknown, metadata: unknown) => unknown;

/**
 * Serves `controller` (a class implementing a ts-proto generated `...ServiceController`) for
 * every rpc of `service`: each rpc goes to the controller method of its proto name (`originalName`
 * from proto-loader), so no method name is written by hand. Unary results may be values, promises
 * or observables; a server stream is an observable. Errors become gRPC statuses (toGrpcError).
 */
export function addController(
  server: Server,
  service: ServiceDefinition,
  controller: object,
  log: Logger,
  metrics?: GrpcMetrics,
): void {
  const impl: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(service)) {
    const key = (method as { originalName?: string }).originalName ?? name;
    const fn = (controller as Record<string, unknown>)[key];
    if (typeof fn !== 'function') throw new Error(`${controller.constructor.name} lacks ${key}`);
    const handler = (fn as Handler).bind(controller);
    impl[name] = method.responseStream
      ? streaming(handler, log, metrics)
      : unary(handler, log, metrics);
  }
  server.addService(service, impl);
}

function logUnexpected(log: Logger, e: unknown, path: string): void {
  if (!isBosunError(e)) log.error({ err: e, rpc: path }, 'gRPC call failed');
}

const since = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

function unary(
  handler: Handler,
  log: Logger,
  metrics: GrpcMetrics | undefined,
): handleUnaryCall<unknown, unknown> {
  return (call: ServerUnaryCall<unknown, unknown>, callback) => {
    const started = process.hrtime.bigint();
    const run = async (): Promise<unknown> => {
      const out = await handler(call.request, call.metadata);
      return isObservable(out) ? lastValueFrom(out) : out;
    };
    run().then(
      (value) => {
        callback(null, value);
        metrics?.observe(call.getPath(), false, GrpcStatus.OK, since(started));
      },
      (e: unknown) => {
        logUnexpected(log, e, call.getPath());
        const error = toGrpcError(e);
        callback(error);
        metrics?.observe(call.getPath(), false, error.code ?? GrpcStatus.UNKNOWN, since(started));
      },
    );
  };
}

function streaming(
  handler: Handler,
  log: Logger,
  metrics: GrpcMetrics | undefined,
): handleServerStreamingCall<unknown, unknown> {
  return (call: ServerWritableStream<unknown, unknown>) => {
    const started = process.hrtime.bigint();
    let counted = false;
    const done = (code: number): void => {
      if (!counted) metrics?.observe(call.getPath(), true, code, since(started));
      counted = true;
    };
    const events = handler(call.request, call.metadata) as Observable<unknown>;
    // A slow reader only grows grpc-js's buffer; watches are bounded by what they follow.
    const subscription = events.subscribe({
      next: (value) => void call.write(value),
      error: (e: unknown) => {
        logUnexpected(log, e, call.getPath());
        const error = toGrpcError(e);
        call.emit('error', error);
        done(error.code ?? GrpcStatus.UNKNOWN);
      },
      complete: () => {
        call.end();
        done(GrpcStatus.OK);
      },
    });
    call.on('cancelled', () => {
      subscription.unsubscribe();
      done(GrpcStatus.CANCELLED);
    });
    call.on('close', () => subscription.unsubscribe());
  };
}
