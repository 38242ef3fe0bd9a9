import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The node-agent as service-host runs it; tests and `npm start` reuse this definition. */
export const nodeAgent: ServiceOptions = {
  name: 'node-agent',
  module: AppModule,
  defaultPort: 10248,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; no node registration, no heartbeats, no runtime, no pods yet',
  },
};

if (require.main === module) {
  bootstrapService(nodeAgent).catch(() => process.exit(1));
}
