import { hostname } from 'node:os';
import { createLogger, type Logger } from '@bosun/common';
import type { Registry } from 'prom-client';
import { realClock, type Clock } from './clock';
import type { EventSource } from './events/core-event';
import { EventBroadcaster, type EventPort, type EventRecorder } from './events/event-broadcaster';
import { InformerFactory, type PortFor } from './informer-factory';
import { LeaderElector, type LeaderElectorOptions } from './leader-elector';
import type { Runnable } from './runnable';

/** The Lease to hold; the identity defaults to `<hostname>_<pid>_<random>`. */
export type LeaderElectionConfig = Pick<
  LeaderElectorOptions,
  'port' | 'namespace' | 'name' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'
> & { readonly identity?: string };

/** A candidate's identity unique across hosts and restarts. */
export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface ManagerOptions {
  /** Names the component in logs. */
  readonly name: string;
  /** Where the shared informers list and watch. */
  readonly portFor: PortFor;
  /** Without it this replica leads from start to stop (a single replica, tests). */
  readonly leaderElection?: LeaderElectionConfig;
  /** Where recorded Events go; without it they are dropped. */
  readonly events?: EventPort;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

/** What a runnable is built from; a leader-only one gets a fresh context every term. */
export interface RunContext {
  readonly informers: InformerFactory;
  /** A recorder writing Events as `component` (the manager's one builder and correlator). */
  recorder(component: string): EventRecorder;
  /** Aborts when the term ends (leader-only) or the manager stops (always-on). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly registry?: Registry;
  readonly clock: Clock;
}

export type RunnableFactory = (
  ctx: RunContext,
) => Runnable | readonly (Runnable | undefined)[] | undefined;

export interface AddOptions {
  /** Run only while holding the lease (default true); false runs it on every replica. */
  readonly leaderElection?: boolean;
}

const dropEvents: EventPort = { create: async () => undefined, patch: async () => undefined };

/**
 * controller-runtime's Manager: it owns the shared informers (one per collection, started and
 * synced once, kept for the manager's life so a standby takes over warm), the leader lease and
 * its terms, the EventRecorder and the runnables. A component only declares what it runs:
 * leader-only runnables are built afresh for each term (so nothing a previous term believed,
 * like in-flight expectations, leaks into the next) and start only once every informer has
 * synced; a term that ends first (lost lease, stop) never starts them, so a list that never
 * succeeds cannot hold up a stop. Terms run one after the other: the next starts after the last
 * one's runnables have stopped.
 */
export class Manager {
  readonly informers: InformerFactory;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly broadcaster: EventBroadcaster;
  private readonly elector: LeaderElector | undefined;
  /** This replica's identity in the Lease (and its Events' reportingInstance). */
  readonly identity: string;
  private readonly leaderOnly: RunnableFactory[] = [];
  private readonly always: RunnableFactory[] = [];
  private readonly alwaysRunning: Runnable[] = [];
  private readonly termRunning: Runnable[] = [];
  private term: Promise<void> = Promise.resolve();
  private alwaysOn: Promise<void> = Promise.resolve();
  private readonly lifetime = new AbortController();
  private started = false;
  private stopping = false;

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.logger ?? createLogger(opts.name);
    this.clock = opts.clock ?? realClock;
    this.informers = new InformerFactory(opts.portFor, { clock: opts.clock, logger: this.log });
    this.broadcaster = new EventBroadcaster({
      port: opts.events ?? dropEvents,
      clock: opts.clock,
      logger: this.log.child({ component: 'events' }),
    });
    const le = opts.leaderElection;
    this.identity = le?.identity ?? defaultIdentity();
    this.elector =
      le &&
      new LeaderElector({
        ...le,
        identity: this.identity,
        clock: opts.clock,
        logger: this.log.child({ component: 'leader-elector' }),
        onStartedLeading: (signal) => {
          this.term = this.term.then(() =>
            this.runWhile(this.leaderOnly, signal, this.termRunning),
          );
        },
      });
  }

  /** Declares a runnable (built when it is to run). */
  add(factory: RunnableFactory, opts: AddOptions = {}): this {
    (opts.leaderElection === false ? this.always : this.leaderOnly).push(factory);
    return this;
  }

  /** An EventRecorder writing as `source`, usable outside any runnable. */
  recorder(source: EventSource | string, instance?: string): EventRecorder {
    const src = typeof source === 'string' ? { component: source } : source;
    return this.broadcaster.recorder(src, instance ?? this.identity);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.started && !this.stopping;
  }

  /** The holder of the lease as last seen ('' when none). */
  get leader(): string {
    return this.elector?.leader ?? '';
  }

  /** What runs now: the always-on runnables and, while leading, the term's. */
  runnables(): readonly Runnable[] {
    return [...this.alwaysRunning, ...this.termRunning];
  }

  /** Whether every informer has listed once. */
  hasSynced(): boolean {
    return this.informers.all().every((i) => i.hasSynced());
  }

  /**
   * Starts the informers declared so far and the always-on runnables (once synced), and enters
   * the election. Resolves at once; the work goes on in the background.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const signal = this.lifetime.signal;
    this.alwaysOn = this.runWhile(this.always, signal, this.alwaysRunning);
    if (this.elector) this.elector.start();
    else this.term = this.runWhile(this.leaderOnly, signal, this.termRunning);
    // Informers declared up front start now, also on a standby (warm takeover).
    void this.informers.startAndSync(signal);
  }

  /**
   * Stops leading (releasing the lease so a successor starts at once), every runnable, the
   * informers, and waits for the Events recorded so far to be written.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.elector?.stop({ release: true });
    this.lifetime.abort();
    await Promise.all([this.term, this.alwaysOn]);
    this.informers.stopAll();
    await this.broadcaster.drained();
  }

  private context(signal: AbortSignal): RunContext {
    return {
      informers: this.informers,
      recorder: (component) => this.recorder(component),
      signal,
      logger: this.log,
      registry: this.opts.registry,
      clock: this.clock,
    };
  }

  private build(factories: readonly RunnableFactory[], signal: AbortSignal): Runnable[] {
    const ctx = this.context(signal);
    return factories.flatMap((f) => {
      const built = f(ctx);
      return (Array.isArray(built) ? built : [built]).filter((r): r is Runnable => r !== undefined);
    });
  }

  /**
   * Runs `factories` for as long as `signal` lasts (a term of leadership, or the manager's life
   * for always-on runnables): build, wait for the caches or the end, run, stop.
   */
  private async runWhile(
    factories: readonly RunnableFactory[],
    signal: AbortSignal,
    running: Runnable[],
  ): Promise<void> {
    if (signal.aborted || factories.length === 0) return;
    const ended = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const runnables = this.build(factories, signal);
    const names = runnables.map((r) => r.name);
    if (await this.informers.startAndSync(signal)) {
      running.push(...runnables);
      this.log.info({ runnables: names }, 'caches synced: starting');
      await this.startAll(runnables);
      await ended;
      if (this.stopping) this.log.info({ runnables: names }, 'stopping');
      else this.log.warn({ runnables: names }, 'leadership lost: stopping');
      running.splice(0);
    } else {
      this.log.info({ runnables: names }, 'ended before the caches synced');
    }
    // Also the ones never started: their handlers on the shared informers must go.
    await this.stopAll(runnables);
  }

  private async startAll(runnables: readonly Runnable[]): Promise<void> {
    await Promise.all(
      runnables.map((r) =>
        r
          .start()
          .catch((err: unknown) => this.log.error({ err, runnable: r.name }, 'failed to start')),
      ),
    );
  }

  private async stopAll(runnables: readonly Runnable[]): Promise<void> {
    await Promise.all(
      runnables.map((r) =>
        r
          .stop()
          .catch((err: unknown) => this.log.error({ err, runnable: r.name }, 'failed to stop')),
      ),
    );
  }
}
