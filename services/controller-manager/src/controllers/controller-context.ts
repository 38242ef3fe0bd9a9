import type { Logger } from '@bosun/common';
import type { Clock, Controller, EventRecorder } from '@bosun/controller-kit';
import type { KindRegistry } from '@bosun/resource-model';
import type { Registry } from 'prom-client';
import type { InformerFactory } from '@bosun/controller-kit';
import type { ReadPort } from '../ports/read-port';
import type { WritePort } from '../ports/write-port';
import type { NodeLifecycleOptions } from './node-lifecycle.controller';
import type { NodeIpamOptions } from '../ipam/node-ipam-options';

/** What every controller factory gets: shared informers, the write port, logging and metrics. */
export interface ControllerContext {
  readonly informers: InformerFactory;
  readonly writer: WritePort;
  readonly reader: ReadPort;
  readonly kinds: KindRegistry;
  readonly logger: Logger;
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** Workers per controller (default 4). */
  readonly workers?: number;
  /** Node lifecycle timings (grace periods); Kubernetes' defaults when absent. */
  readonly nodeLifecycle?: NodeLifecycleOptions;
  /** Node IPAM's cluster CIDR and per-node mask; 10.244.0.0/16 and /24 when absent. */
  readonly nodeIpam?: NodeIpamOptions;
  /** A recorder writing core/v1 Events as `component` (dropped when absent). */
  readonly recorder?: (component: string) => EventRecorder;
}

/** One controller of the manager: built from the shared context when this replica leads. */
export type ControllerFactory = (ctx: ControllerContext) => Controller;
