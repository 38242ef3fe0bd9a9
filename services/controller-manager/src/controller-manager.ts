import type { ApiClient } from '@bosun/api-client';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import {
  apiEventPort,
  apiLeasePort,
  apiListWatchPort,
  leaseTimings,
  ManagedComponent,
  type Clock,
  type LeaseTimings,
  type LeasePort,
  type PortFor,
} from '@bosun/controller-kit';
import { defaultRegistry } from '@bosun/resource-model';
import type { Registry } from 'prom-client';
import { CONTROLLERS, type ControllerFactory } from './controllers';
import type { NodeLifecycleOptions } from './controllers/node-lifecycle.controller';
import type { NodeIpamOptions } from './ipam/node-ipam-options';
import { apiWritePort } from './ports/api-write-port';
import { apiReadPort, type ReadPort } from './ports/read-port';
import type { WritePort } from './ports/write-port';

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'bosun-controller-manager';

export interface ControllerManagerOptions extends LeaseTimings {
  /** Where reads and writes go; individual ports below override it (tests). */
  readonly client?: ApiClient;
  readonly portFor?: PortFor;
  readonly writer?: WritePort;
  readonly reader?: ReadPort;
  readonly leases?: LeasePort;
  readonly controllers?: readonly ControllerFactory[];
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly workers?: number;
  /** Node lifecycle timings (node-monitor grace period...); Kubernetes' defaults when absent. */
  readonly nodeLifecycle?: NodeLifecycleOptions;
  /** Node IPAM's cluster CIDR and per-node mask size; 10.244.0.0/16 and /24 when absent. */
  readonly nodeIpam?: NodeIpamOptions;
  /** Drives leader election and the controllers' queues (tests pass a fake one). */
  readonly clock?: Clock;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new BosunError(ErrorCode.Invalid, `controller-manager needs a client or a ${what}`);
  }
  return value;
}

/**
 * The controllers, declared on the kit's Manager under the `bosun-controller-manager` Lease:
 * each term of leadership builds them afresh (nothing a previous term believed, like in-flight
 * expectations, leaks into the next) over the shared informers, once those have synced.
 */
export class ControllerManager extends ManagedComponent {
  constructor(opts: ControllerManagerOptions) {
    const { client } = opts;
    super({
      name: 'controller-manager',
      portFor:
        opts.portFor ??
        ((ref, selectors) => apiListWatchPort(need(client, 'port'), ref, selectors)),
      leaderElection: {
        port: opts.leases ?? apiLeasePort(need(client, 'lease port')),
        namespace: LEASE_NAMESPACE,
        name: LEASE_NAME,
        ...leaseTimings(opts),
      },
      events: client && apiEventPort(client),
      clock: opts.clock,
      logger: opts.logger,
      registry: opts.registry,
    });
    const writer = opts.writer ?? apiWritePort(need(client, 'write port'));
    const reader = opts.reader ?? apiReadPort(need(client, 'read port'));
    for (const factory of opts.controllers ?? CONTROLLERS) {
      this.manager.add((run) =>
        factory({
          informers: run.informers,
          writer,
          reader,
          kinds: defaultRegistry,
          logger: run.logger,
          registry: run.registry,
          workers: opts.workers,
          clock: opts.clock,
          nodeLifecycle: opts.nodeLifecycle,
          nodeIpam: opts.nodeIpam,
          recorder: run.recorder,
        }),
      );
    }
  }
}
