import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** A Bosun process `bosun up` runs, and how to tell it is healthy. */
export interface ServiceSpec {
  readonly name: string;
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Its service-host health port: `/readyz` answers 200 once it serves. */
  readonly healthPort: number;
}

export interface ClusterPorts {
  readonly api: number;
  readonly apiHealth: number;
}

/** Kubernetes' usual 6443 for the API; BOSUN_API_PORT / BOSUN_API_HEALTH_PORT move them. */
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
  return { api: port('BOSUN_API_PORT', 6443), apiHealth: port('BOSUN_API_HEALTH_PORT', 8080) };
}

/**
 * What `bosun up` starts today. The scheduler, controller-manager, cloud-controller-manager,
 * node-agent, proxy and gateway are still skeletons; they join this list as they become real.
 */
export function clusterServices(
  home: string,
  ports: ClusterPorts,
  databaseUrl: string,
  natsUrl: string,
  schema: string,
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
        API_SERVER_HTTP_PORT: String(ports.apiHealth),
        API_SERVER_HTTP_HOST: '127.0.0.1',
      },
    },
  ];
}

export const NOT_YET_STARTED = [
  'scheduler',
  'controller-manager',
  'cloud-controller-manager',
  'node-agent',
  'proxy',
  'gateway',
] as const;
