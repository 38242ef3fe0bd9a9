import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';
import { controllerManagerConfig } from './controller-manager.config';

/** The controller-manager as service-host runs it; tests and `npm start` reuse this definition. */
export const controllerManager: ServiceOptions<typeof controllerManagerConfig> = {
  name: 'controller-manager',
  module: AppModule,
  defaultPort: 10257,
  config: controllerManagerConfig,
  status: {
    phase: 'partial',
    summary:
      'ReplicaSet, Deployment, garbage collector, namespace, DaemonSet, Job, CronJob, node lifecycle, pod GC, EndpointSlice, Endpoints and node IPAM controllers under leader election, over the REST API; no EndpointSlice mirroring, autoscaling or StatefulSet controllers yet',
  },
};

if (require.main === module) {
  bootstrapService(controllerManager).catch(() => process.exit(1));
}
