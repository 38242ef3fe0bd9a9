import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { GRPC_LOADER_OPTIONS, GRPC_PACKAGE, PROTO_FILES, PROTO_ROOT } from '@bosun/proto';
import type { Authenticator } from '../auth/token-authenticator';
import type { Authorizer } from '../auth/authorizer';
import type { ApiContext } from '../handlers/context';
import type { Registry } from 'prom-client';
import { addController } from './bind-controller';
import { ControlPlaneGrpcService } from './control-plane.grpc-service';
import { GrpcCaller } from './grpc-caller';
import { GrpcMetrics } from './grpc-metrics';
import { ResourceGrpcService } from './resource.grpc-service';

export interface GrpcServerOptions {
  readonly ctx: ApiContext;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The serving certificate and key (the REST listener's). */
  readonly certPem: string;
  readonly keyPem: string;
  /** Where call metrics go (the service's registry); none when absent. */
  readonly metrics?: Registry;
}

export interface RunningGrpcServer {
  readonly port: number;
  stop(): Promise<void>;
}

const RESOURCE_SERVICE = `${GRPC_PACKAGE}.ResourceService`;
const CONTROL_PLANE_SERVICE = `${GRPC_PACKAGE}.ControlPlaneService`;

function loadPackage(): PackageDefinition {
  return loadSync([...PROTO_FILES], {
    ...GRPC_LOADER_OPTIONS,
    includeDirs: [PROTO_ROOT],
  });
}

/**
 * The api-server's gRPC API over TLS: ResourceService and ControlPlaneService (same authn →
 * authz → admission → store path as REST, through the operations), server reflection and the
 * standard grpc.health.v1 service. grpc-js directly rather than a Nest microservice: the api-server
 * must learn the port it bound (port 0 in tests), which Nest's transport does not expose.
 */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<RunningGrpcServer> {
  const pkg = loadPackage();
  const caller = new GrpcCaller(opts.ctx, opts.authenticator, opts.authorizer);
  const server = new Server();
  const log = opts.ctx.log;
  const metrics = opts.metrics ? new GrpcMetrics(opts.metrics) : undefined;
  const serve = (service: string, controller: object): void =>
    addController(server, pkg[service] as ServiceDefinition, controller, log, metrics);
  serve(RESOURCE_SERVICE, new ResourceGrpcService(caller));
  serve(CONTROL_PLANE_SERVICE, new ControlPlaneGrpcService(caller));
  new ReflectionService(pkg).addToServer(server);
  const health = new HealthImplementation({
    '': 'SERVING',
    [RESOURCE_SERVICE]: 'SERVING',
    [CONTROL_PLANE_SERVICE]: 'SERVING',
  });
  health.addToServer(server);
  const credentials = ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(opts.certPem), private_key: Buffer.from(opts.keyPem) }],
    false,
  );
  const address = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    async stop() {
      for (const name of ['', RESOURCE_SERVICE, CONTROL_PLANE_SERVICE])
        health.setStatus(name, 'NOT_SERVING');
      // Watches never end by themselves: give unary calls a moment, then cut the rest.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
