import type {
  handleServerStreamingCall,
  handleUnaryCall,
  Server,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '@bosun/common';
import { isBosunError } from '@bosun/common';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { toGrpcError } from './grpc-error';

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
): void {
  const impl: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(service)) {
    const key = (method as { originalName?: string }).originalName ?? name;
    const fn = (controller as Record<string, unknown>)[key];
    if (typeof fn !== 'function') throw new Error(`${controller.constructor.name} lacks ${key}`);
    const handler = (fn as Handler).bind(controller);
    impl[name] = method.responseStream ? streaming(handler, log) : unary(handler, log);
  }
  server.addService(service, impl);
}

function logUnexpected(log: Logger, e: unknown, path: string): void {
  if (!isBosunError(e)) log.error({ err: e, rpc: path }, 'gRPC call failed');
}

function unary(handler: Handler, log: Logger): handleUnaryCall<unknown, unknown> {
  return (call: ServerUnaryCall<unknown, unknown>, callback) => {
    const run = async (): Promise<unknown> => {
      const out = await handler(call.request, call.metadata);
      return isObservable(out) ? lastValueFrom(out) : out;
    };
    run().then(
      (value) => callback(null, value),
      (e: unknown) => {
        logUnexpected(log, e, call.getPath());
        callback(toGrpcError(e));
      },
    );
  };
}

function streaming(handler: Handler, log: Logger): handleServerStreamingCall<unknown, unknown> {
  return (call: ServerWritableStream<unknown, unknown>) => {
    const events = handler(call.request, call.metadata) as Observable<unknown>;
    // A slow reader only grows grpc-js's buffer; watches are bounded by what they follow.
    const subscription = events.subscribe({
      next: (value) => void call.write(value),
      error: (e: unknown) => {
        logUnexpected(log, e, call.getPath());
        call.emit('error', toGrpcError(e));
      },
      complete: () => call.end(),
    });
    call.on('cancelled', () => subscription.unsubscribe());
    call.on('close', () => subscription.unsubscribe());
  };
}
