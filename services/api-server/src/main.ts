import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The api-server as service-host runs it; tests and `npm start` reuse this definition. */
export const apiServer: ServiceOptions = {
  name: 'api-server',
  module: AppModule,
  // Health/metrics port (API_SERVER_HTTP_PORT); the Kubernetes API gets its own listener later.
  defaultPort: 8080,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; the Kubernetes REST API, gRPC API and store are not implemented yet',
  },
};

if (require.main === module) {
  bootstrapService(apiServer).catch(() => process.exit(1));
}
