import type { Logger } from '@bosun/common';
import type { Clock, Informer } from '@bosun/controller-kit';
import type { Registry } from 'prom-client';
import type { CloudProvider } from '../cloud-provider/cloud-provider';
import type { NodeObject, ServiceObject } from '../cloud-provider/types';
import type { CloudWritePort, EventRecorder } from '../ports/cloud-write-port';

/** What every cloud controller gets for one term of leadership. */
export interface CloudControllerContext {
  readonly cloud: CloudProvider;
  readonly clusterName: string;
  readonly nodes: Informer<NodeObject>;
  readonly services: Informer<ServiceObject>;
  readonly writer: CloudWritePort;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** Workers per controller. */
  readonly workers?: number;
  /** How often a NotReady node's instance is checked again (Kubernetes' node-monitor-period). */
  readonly nodeMonitorPeriodMs?: number;
}

/** The defineController options every controller takes from the context. */
export function kitOptions(ctx: CloudControllerContext, name: string) {
  return {
    name,
    workers: ctx.workers ?? 2,
    clock: ctx.clock,
    logger: ctx.logger.child({ controller: name }),
    registry: ctx.registry,
  };
}
