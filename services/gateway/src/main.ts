import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The gateway as service-host runs it; tests and `npm start` reuse this definition. */
export const gateway: ServiceOptions = {
  name: 'gateway',
  module: AppModule,
  defaultPort: 8081,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; no routing, no TLS, no rate limiting; it proxies nothing yet',
  },
};

if (require.main === module) {
  bootstrapService(gateway).catch(() => process.exit(1));
}
