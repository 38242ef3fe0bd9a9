import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';
import { schedulerConfig } from './scheduler.config';

/** The scheduler as service-host runs it; tests and `npm start` reuse this definition. */
export const scheduler: ServiceOptions<typeof schedulerConfig> = {
  name: 'scheduler',
  module: AppModule,
  defaultPort: 10259,
  config: schedulerConfig,
  status: {
    phase: 'partial',
    summary:
      'places pending pods (default-scheduler) through the REST API with leader election, events and the PodScheduled condition; no preemption, no gRPC client yet, no volume or image-locality plugins',
  },
};

if (require.main === module) {
  bootstrapService(scheduler).catch(() => process.exit(1));
}
