import type { ControllerFactory } from './controller-context';
import { deploymentController } from './deployment.controller';
import { replicaSetController } from './replica-set.controller';

export type { ControllerContext, ControllerFactory } from './controller-context';

/**
 * Every controller the manager runs while it leads: one line per controller, each a factory in
 * its own file beside this one.
 */
export const CONTROLLERS: readonly ControllerFactory[] = [
  replicaSetController,
  deploymentController,
];
