import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** A Bosun process `bosun up` runs, and how to tell it is healthy. */
export interface ServiceSpec {
  readonly name: string;
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Its service-host health port: `/readyz` answers 200 once it serves. */
  readonly healthPort: number;
  /** A command the process runs under, e.g. nsenter into a node's network namespace. */
  readonly launcher?: readonly string[];
}

export interface ClusterPorts {
  readonly api: number;
  readonly apiGrpc: number;
  readonly apiHealth: number;
  readonly schedulerHealth: number;
  readonly controllerManagerHealth: number;
  readonly cloudControllerManagerHealth: number;
}

/**
 * Kubernetes' usual ports (6443 for the API, 10259 scheduler, 10257 controller-manager, 10258
 * cloud-controller-manager; 6444 for
 * Bosun's gRPC API); BOSUN_API_PORT, BOSUN_API_GRPC_PORT and BOSUN_<SERVICE>_HEALTH_PORT move them.
 */
export function clusterPorts(env: NodeJS.ProcessEnv): ClusterPorts {
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new Error(`${name}=${JSON.stringify(raw)} is not a port number (1-65535)`);
    }
    return n;
  };
  return {
    api: port('BOSUN_API_PORT', 6443),
    apiGrpc: port('BOSUN_API_GRPC_PORT', 6444),
    apiHealth: port('BOSUN_API_HEALTH_PORT', 8080),
    schedulerHealth: port('BOSUN_SCHEDULER_HEALTH_PORT', 10259),
    controllerManagerHealth: port('BOSUN_CONTROLLER_MANAGER_HEALTH_PORT', 10257),
    cloudControllerManagerHealth: port('BOSUN_CLOUD_CONTROLLER_MANAGER_HEALTH_PORT', 10258),
  };
}

/** Where the api-server listens and which names its serving certificate covers. */
export interface ApiListen {
  /** `127.0.0.1`, or `0.0.0.0` when node namespaces reach it on the bridge address. */
  readonly bind: string;
  /** Extra certificate hosts (the bridge address); the api-server re-issues its cert, same CA. */
  readonly tlsHosts: readonly string[];
}

/**
 * The control plane `bosun up` starts, in start order (each waits for the one before to be
 * ready); the node agents follow (node-agents.ts). The proxy and gateway join as they become real.
 */
export function clusterServices(
  home: string,
  ports: ClusterPorts,
  databaseUrl: string,
  natsUrl: string,
  schema: string,
  listen: ApiListen = { bind: '127.0.0.1', tlsHosts: [] },
): ServiceSpec[] {
  return [
    {
      name: 'api-server',
      entry: join(REPO_ROOT, 'services', 'api-server', 'dist', 'main.js'),
      healthPort: ports.apiHealth,
      env: {
        BOSUN_HOME: home,
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        NATS_URL: natsUrl,
        API_SERVER_PORT: String(ports.api),
        API_SERVER_GRPC_PORT: String(ports.apiGrpc),
        API_SERVER_BIND: listen.bind,
        API_SERVER_TLS_HOSTS: listen.tlsHosts.join(','),
        API_SERVER_HTTP_PORT: String(ports.apiHealth),
        API_SERVER_HTTP_HOST: '127.0.0.1',
      },
    },
    // Each with its own identity: the api-server writes these kubeconfigs when it starts.
    controlPlaneClient('scheduler', ports.schedulerHealth, {
      BOSUN_KUBECONFIG: join(home, 'scheduler.kubeconfig'),
    }),
    controlPlaneClient('controller-manager', ports.controllerManagerHealth, {
      CONTROLLER_MANAGER_KUBECONFIG: join(home, 'controller-manager.kubeconfig'),
    }),
    // The `local` provider: node initialization and LoadBalancer addresses from its pool.
    controlPlaneClient('cloud-controller-manager', ports.cloudControllerManagerHealth, {
      CLOUD_CONTROLLER_MANAGER_KUBECONFIG: join(home, 'cloud-controller-manager.kubeconfig'),
    }),
  ];
}

/** A component that reaches the cluster through the api-server with the admin kubeconfig. */
function controlPlaneClient(
  name: string,
  healthPort: number,
  env: Record<string, string>,
): ServiceSpec {
  const prefix = name.toUpperCase().replace(/-/g, '_');
  return {
    name,
    entry: join(REPO_ROOT, 'services', name, 'dist', 'main.js'),
    healthPort,
    env: {
      ...env,
      [`${prefix}_HTTP_PORT`]: String(healthPort),
      [`${prefix}_HTTP_HOST`]: '127.0.0.1',
    },
  };
}

export const NOT_YET_STARTED = ['proxy', 'gateway'] as const;
