import type { Logger } from '@bosun/common';
import type { Clock, Controller } from '@bosun/controller-kit';
import type { KindRegistry } from '@bosun/resource-model';
import type { Registry } from 'prom-client';
import type { InformerFactory } from '@bosun/controller-kit';
import type { ReadPort } from '../ports/read-port';
import type { WritePort } from '../ports/write-port';
import type { NodeLifecycleOptions } from './node-lifecycle.controller';

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
}

/** One controller of the manager: built from the shared context when this replica leads. */
export type ControllerFactory = (ctx: ControllerContext) => Controller;
