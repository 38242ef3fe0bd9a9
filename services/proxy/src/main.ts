import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The proxy as service-host runs it; tests and `npm start` reuse this definition. */
export const proxy: ServiceOptions = {
  name: 'proxy',
  module: AppModule,
  defaultPort: 10256,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; no service VIPs, no DNS, no policy enforcement yet',
  },
};

if (require.main === module) {
  bootstrapService(proxy).catch(() => process.exit(1));
}
