import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiClient } from '@bosun/api-client';
import type { Logger } from '@bosun/common';
import type { Registry } from 'prom-client';
import {
  type ConfigOf,
  METRICS_REGISTRY,
  ReadinessRegistry,
  SERVICE_CONFIG,
  SERVICE_LOGGER,
} from '@bosun/service-host';
import { resolveConnection } from './config/join';
import type { nodeAgentConfig } from './config/node-agent-config';
import { NodeAgent } from './node-agent';
import { UNINITIALIZED_TAINT } from './node/node-object';

/** Runs the node agent for the lifetime of the Nest application. */
@Injectable()
export class NodeAgentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private agent: NodeAgent | undefined;
  private client: ApiClient | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConfigOf<typeof nodeAgentConfig>,
    @Inject(SERVICE_LOGGER) private readonly log: Logger,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('node-agent', () => ({
      ok: this.agent !== undefined,
      detail: this.agent
        ? `node ${this.agent.name} on runtime ${this.agent.runtime.info().name}`
        : 'not started',
    }));
    const cfg = this.config;
    const connection = await resolveConnection(cfg, this.log);
    this.client = new ApiClient(connection);
    if (!connection.token) {
      this.log.warn('no bearer token in the connection: kubectl logs/exec to this node are off');
    }
    this.agent = await NodeAgent.start({
      nodeName: cfg.nodeName,
      client: this.client,
      logger: this.log,
      root: cfg.root,
      runtimeName: cfg.runtime || undefined,
      podCidr: cfg.podCidr,
      insecureRegistries: cfg.insecureRegistries,
      facts: {
        ...(cfg.nodeIP ? { internalIP: cfg.nodeIP } : {}),
        ...(cfg.cloudProvider === 'external' ? { registerTaints: [UNINITIALIZED_TAINT] } : {}),
      },
      registry: this.metrics,
      evictionHard: cfg.evictionHard,
      evictionPressureTransitionMs: cfg.evictionPressureTransitionSeconds * 1000,
      serve: connection.token ? { token: connection.token, port: cfg.grpcPort } : undefined,
    });
  }

  /** The running agent (tests), undefined before bootstrap. */
  get running(): NodeAgent | undefined {
    return this.agent;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent?.stop();
    this.client?.close();
    this.agent = undefined;
  }
}
