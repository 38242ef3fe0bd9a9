import { Manager, type ManagerOptions } from './manager';
import type { Runnable } from './runnable';

/** The leader-election settings a component's options carry (tests shorten the timings). */
export interface LeaseTimings {
  readonly identity?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

/** Just the lease settings of a component's options, for its Manager's `leaderElection`. */
export function leaseTimings(opts: LeaseTimings): LeaseTimings {
  const { identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs } = opts;
  return { identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

/**
 * A component that is a Manager and its declarations (the controller-manager, the
 * cloud-controller-manager): the lifecycle and leadership come from here, so each component only
 * says which runnables it adds.
 */
export abstract class ManagedComponent {
  protected readonly manager: Manager;

  protected constructor(opts: ManagerOptions) {
    this.manager = new Manager(opts);
  }

  /** The holder of the lease as last seen ('' when none). */
  get leader(): string {
    return this.manager.leader;
  }

  isLeader(): boolean {
    return this.manager.isLeader();
  }

  /** The running runnables (the leader-only ones only while leading). */
  controllers(): readonly Runnable[] {
    return this.manager.runnables();
  }

  start(): void {
    this.manager.start();
  }

  /** Gives up the lease (a successor takes over at once) and stops every runnable. */
  stop(): Promise<void> {
    return this.manager.stop();
  }
}
