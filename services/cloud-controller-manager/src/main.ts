import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The cloud-controller-manager as service-host runs it; tests and `npm start` reuse this definition. */
export const cloudControllerManager: ServiceOptions = {
  name: 'cloud-controller-manager',
  module: AppModule,
  defaultPort: 10258,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; no provider interface, no `local` provider, no service/node reconciliation yet',
  },
};

if (require.main === module) {
  bootstrapService(cloudControllerManager).catch(() => process.exit(1));
}
