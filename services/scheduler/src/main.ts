import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The scheduler as service-host runs it; tests and `npm start` reuse this definition. */
export const scheduler: ServiceOptions = {
  name: 'scheduler',
  module: AppModule,
  defaultPort: 10259,
  status: {
    phase: 'skeleton',
    summary:
      'skeleton only: serves health, metrics and status; no informer, no placement, no binding, no leader election yet',
  },
};

if (require.main === module) {
  bootstrapService(scheduler).catch(() => process.exit(1));
}
