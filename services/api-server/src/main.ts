import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { apiServerConfig } from './api-server.config';
import { AppModule } from './app.module';

/** The api-server as service-host runs it; tests and `npm start` reuse this definition. */
export const apiServer: ServiceOptions<typeof apiServerConfig> = {
  name: 'api-server',
  module: AppModule,
  // Health/metrics port (API_SERVER_HTTP_PORT); the Kubernetes API listens on API_SERVER_PORT.
  defaultPort: 8080,
  config: apiServerConfig,
  status: {
    phase: 'partial',
    summary:
      'Kubernetes REST API (HTTPS) and gRPC API work with kubectl and client-node: CRUD, list/watch, patches incl. strategic merge, subresources, discovery and OpenAPI, logs/exec to node agents, object history and the event log, bootstrap/node/component tokens, compaction; no server-side apply, RBAC or webhooks yet',
  },
};

if (require.main === module) {
  bootstrapService(apiServer).catch(() => process.exit(1));
}
