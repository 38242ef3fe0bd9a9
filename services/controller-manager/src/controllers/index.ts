import type { ControllerFactory } from './controller-context';
import { cronJobController } from './cron-job.controller';
import { daemonSetController } from './daemon-set.controller';
import { jobController } from './job.controller';
import { nodeLifecycleController } from './node-lifecycle.controller';
import { podGcController } from './pod-gc.controller';
import { deploymentController } from './deployment.controller';
import { endpointSliceController } from './endpoint-slice.controller';
import { endpointsController } from './endpoints.controller';
import { nodeIpamController } from './node-ipam.controller';
import { garbageCollectorController } from './garbage-collector.controller';
import { namespaceController } from './namespace.controller';
import { replicaSetController } from './replica-set.controller';

export type { ControllerContext, ControllerFactory } from './controller-context';

/**
 * Every controller the manager runs while it leads: one line per controller, each a factory in
 * its own file beside this one.
 */
export const CONTROLLERS: readonly ControllerFactory[] = [
  replicaSetController,
  deploymentController,
  garbageCollectorController,
  namespaceController,
  daemonSetController,
  jobController,
  cronJobController,
  nodeLifecycleController,
  podGcController,
  endpointSliceController,
  endpointsController,
  nodeIpamController,
];
