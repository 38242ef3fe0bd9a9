import type { Controller } from '@bosun/controller-kit';
import type { CloudControllerContext } from './cloud-controller-context';
import { nodeLifecycleController } from './node-lifecycle.controller';
import { nodeController } from './node.controller';
import { serviceController } from './service.controller';

export type CloudControllerFactory = (ctx: CloudControllerContext) => Controller | undefined;

/** Every cloud controller; one whose provider part is missing returns undefined and is skipped. */
export const CLOUD_CONTROLLERS: readonly CloudControllerFactory[] = [
  nodeController,
  nodeLifecycleController,
  serviceController,
];

export { kitOptions, type CloudControllerContext } from './cloud-controller-context';
export { NodeReconciler, isUninitialized } from './node.controller';
export { NodeLifecycleReconciler } from './node-lifecycle.controller';
export { ServiceReconciler, wantsLoadBalancer } from './service.controller';
