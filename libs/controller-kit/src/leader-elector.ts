import { BosunError, createLogger, ErrorCode, isBosunError, type Logger } from '@bosun/common';
import { realClock, type Clock, type TimerHandle } from './clock';
import { formatMicroTime, type Lease, type LeasePort } from './lease';

export interface LeaderElectorOptions {
  readonly port: LeasePort;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  /** How long a lease stays valid without renewal (default 15 s). */
  readonly leaseDurationMs?: number;
  /** A leader that failed to renew for this long steps down (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Runs while leading; `signal` aborts when leadership is lost or the elector stops. */
  readonly onStartedLeading?: (signal: AbortSignal) => void;
  readonly onStoppedLeading?: () => void;
  readonly onNewLeader?: (identity: string) => void;
}

/**
 * Leader election on a Lease object, as client-go does it. Expiry is judged by our own clock from
 * when we last saw the lease change (never by the holder's renewTime), so clock skew between
 * candidates cannot make a live leader look expired.
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { lease: Lease; at: number } | undefined;
  private leading: AbortController | undefined;
  private lastRenew = 0;
  private timer: TimerHandle | undefined;
  private running = false;
  private lastLeader = '';

  constructor(private readonly opts: LeaderElectorOptions) {
    this.clock = opts.clock ?? realClock;
    this.log = opts.logger ?? createLogger(`leader-elector:${opts.name}`);
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (
      this.leaseDurationMs <= this.renewDeadlineMs ||
      this.renewDeadlineMs <= this.retryPeriodMs
    ) {
      throw new BosunError(ErrorCode.Invalid, 'need leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** The holder we last saw in the lease ('' when none). */
  get leader(): string {
    return this.lastLeader;
  }

  /** Starts trying to acquire; keeps renewing while leading and retrying while not. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  /**
   * Stops. With `release` a leader empties the lease so a successor need not wait for it to
   * expire; without, it simply stops renewing (as a crashed process would).
   */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const wasLeading = this.isLeader();
    if (wasLeading) this.stepDown();
    if (wasLeading && opts.release && this.observed) await this.release(this.observed.lease);
  }

  /** One acquire-or-renew attempt; true when we hold the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const current = await this.opts.port.get(this.opts.namespace, this.opts.name);
    if (!current) return this.write(() => this.opts.port.create(this.newLease(undefined, now)));
    this.observe(current);
    const holder = current.spec?.holderIdentity ?? '';
    const expired = this.observed!.at + this.durationOf(current) <= now;
    if (holder !== '' && holder !== this.opts.identity && !expired) return false;
    return this.write(() => this.opts.port.update(this.newLease(current, now)));
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    let held = false;
    try {
      held = await this.tryAcquireOrRenew();
    } catch (error) {
      this.log.warn({ err: error }, 'lease attempt failed');
    }
    if (!this.running) return;
    const now = this.clock.now();
    if (held) {
      this.lastRenew = now;
      if (!this.leading) this.becomeLeader();
    } else if (this.leading && this.lastLeader !== '' && this.lastLeader !== this.opts.identity) {
      this.log.warn(
        { identity: this.opts.identity, holder: this.lastLeader },
        'lease taken over; stepping down',
      );
      this.stepDown();
    } else if (this.leading && now - this.lastRenew >= this.renewDeadlineMs) {
      this.log.warn(
        { identity: this.opts.identity },
        'failed to renew lease in time; stepping down',
      );
      this.stepDown();
    }
    this.timer = this.clock.setTimeout(() => void this.tick(), this.retryPeriodMs);
  }

  private async write(attempt: () => Promise<Lease>): Promise<boolean> {
    try {
      this.observe(await attempt());
      return true;
    } catch (error) {
      // Somebody else wrote first: we lost this round, never a double leader.
      if (isBosunError(error, ErrorCode.Conflict) || isBosunError(error, ErrorCode.AlreadyExists)) {
        return false;
      }
      throw error;
    }
  }

  private newLease(current: Lease | undefined, now: number): Lease {
    const ours = current?.spec?.holderIdentity === this.opts.identity;
    const stamp = formatMicroTime(now);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: current
        ? { ...current.metadata }
        : { name: this.opts.name, namespace: this.opts.namespace },
      spec: {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: ours ? (current?.spec?.acquireTime ?? stamp) : stamp,
        renewTime: stamp,
        leaseTransitions: !current
          ? 0
          : (current.spec?.leaseTransitions ?? 0) + (ours || !current.spec?.holderIdentity ? 0 : 1),
      },
    };
  }

  /** Remembers when the lease last changed, by our clock. */
  private observe(lease: Lease): void {
    const before = this.observed?.lease;
    const changed =
      !before ||
      before.metadata.resourceVersion !== lease.metadata.resourceVersion ||
      before.spec?.renewTime !== lease.spec?.renewTime ||
      before.spec?.holderIdentity !== lease.spec?.holderIdentity;
    if (changed) this.observed = { lease, at: this.clock.now() };
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== this.lastLeader) {
      this.lastLeader = holder;
      if (holder) this.opts.onNewLeader?.(holder);
    }
  }

  private durationOf(lease: Lease): number {
    const seconds = lease.spec?.leaseDurationSeconds;
    return seconds === undefined ? this.leaseDurationMs : seconds * 1000;
  }

  private becomeLeader(): void {
    this.leading = new AbortController();
    this.log.info({ identity: this.opts.identity }, 'became leader');
    const signal = this.leading.signal;
    this.callback(() => this.opts.onStartedLeading?.(signal));
  }

  private stepDown(): void {
    this.leading?.abort();
    this.leading = undefined;
    this.callback(() => this.opts.onStoppedLeading?.());
  }

  /** A throwing callback must not stop the election loop (which would leave a stale leader). */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error({ err: error }, 'leader election callback threw');
    }
  }

  private async release(lease: Lease): Promise<void> {
    if (lease.spec?.holderIdentity !== this.opts.identity) return;
    const released: Lease = {
      ...lease,
      spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 },
    };
    try {
      await this.opts.port.update(released);
    } catch (error) {
      this.log.warn({ err: error }, 'could not release lease');
    }
  }
}
