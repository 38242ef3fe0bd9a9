import { realClock, type Clock } from '@bosun/controller-kit';
import type { ControllerContext } from './controller-context';

/** The defineController options every controller takes from the manager's context. */
export function kitOptions(ctx: ControllerContext, name: string) {
  return {
    name,
    workers: ctx.workers ?? 4,
    clock: ctx.clock,
    logger: ctx.logger.child({ controller: name }),
    registry: ctx.registry,
  };
}

export function clockOf(ctx: { readonly clock?: Clock }): Clock {
  return ctx.clock ?? realClock;
}
