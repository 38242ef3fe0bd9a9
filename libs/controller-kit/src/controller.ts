import { createLogger, isBosunError, ErrorCode, type Logger } from '@bosun/common';
import type { Registry } from 'prom-client';
import { realClock, type Clock } from './clock';
import type { Informer } from './informer';
import { kitMetrics, type KitMetrics } from './metrics';
import { objectKey } from './object-key';
import { controllerOwnerKey } from './owner-references';
import type { RateLimiter } from './rate-limiters';
import type { KubeObject } from './types';
import { WorkQueue } from './work-queue';

/** What a reconcile asks for next: nothing (done), or another look after a delay. */
export interface Result {
  readonly requeueAfter?: number;
}

export interface ReconcileContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** How many times this key has failed in a row. */
  readonly attempt: number;
}

export type Reconcile = (key: string, ctx: ReconcileContext) => Promise<Result | void>;

/** Maps an object to the key(s) to reconcile: itself, its owner, or nothing. */
export type KeyOf = (
  obj: KubeObject,
  informer: Informer<KubeObject>,
) => string | readonly string[] | undefined;

/**
 * Objects a controller creates and owns (controller-runtime's `Owns`): a change to one wakes the
 * owner named by its controller reference (`controller: true`) when that owner is of `ownerKind`.
 */
export interface Owned {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly informer: Informer<any>;
  /** The owner's kind in the controller reference, e.g. 'ReplicaSet'. */
  readonly ownerKind: string;
}

export interface ControllerDefinition {
  readonly name: string;
  // Informers of different kinds feed one controller (e.g. ReplicaSets and their Pods).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly informers: readonly Informer<any>[];
  /** Default: the object's own `namespace/name`. Applies to `informers`, not to `owns`. */
  readonly keyOf?: KeyOf;
  /** Owned objects map to their controlling owner's key. */
  readonly owns?: readonly Owned[];
  readonly reconcile: Reconcile;
  /** Concurrent reconciles, never two for the same key (default 1). */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly logger?: Logger;
  readonly registry?: Registry;
  /** Called when reconcile rejects a key as invalid (record an Event, a condition...). */
  readonly onInvalid?: (key: string, error: unknown) => void;
}

export const Outcome = {
  Success: 'success',
  Requeue: 'requeue',
  NotFound: 'not_found',
  Invalid: 'invalid',
  Error: 'error',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export interface Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  /** Starts the informers (if needed), waits for their sync, then runs the workers. */
  start(): Promise<void>;
  /** Shuts the queue down, aborts running reconciles and waits for the workers to finish. */
  stop(): Promise<void>;
  /** Reconciles one ready key, if any: lets tests step a controller without workers. */
  processNext(): Promise<Outcome | undefined>;
}

/**
 * The controller loop: handlers only enqueue keys; workers take a key, reconcile it from the cache
 * (level-triggered: the event itself is never trusted) and sort the failure.
 */
export function defineController(def: ControllerDefinition): Controller {
  const clock = def.clock ?? realClock;
  const logger = def.logger ?? createLogger(`controller:${def.name}`);
  const queue = new WorkQueue({
    name: def.name,
    clock,
    rateLimiter: def.rateLimiter,
    registry: def.registry,
  });
  const metrics = kitMetrics(def.registry);
  const abort = new AbortController();
  const keyOf: KeyOf = def.keyOf ?? ((obj) => objectKey(obj));
  const sources: Array<[Informer<KubeObject>, KeyOf]> = [
    ...def.informers.map((i): [Informer<KubeObject>, KeyOf] => [i, keyOf]),
    ...(def.owns ?? []).map((o): [Informer<KubeObject>, KeyOf] => [
      o.informer,
      (obj) => controllerOwnerKey(obj, o.ownerKind),
    ]),
  ];
  // Removed on stop: informers are shared and outlive a controller (a term of leadership).
  const unsubscribe = sources.map(([informer, keysOf]) => {
    const enqueue = (obj: KubeObject): void => {
      const keys = keysOf(obj, informer);
      if (keys === undefined) return;
      for (const key of typeof keys === 'string' ? [keys] : keys) queue.add(key);
    };
    return informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, obj) => enqueue(obj),
      onDelete: enqueue,
    });
  });

  const handle = (key: string): Promise<Outcome> =>
    reconcileOne(key, { def, queue, metrics, logger, signal: abort.signal, clock });
  let workers: Promise<void>[] = [];

  return {
    name: def.name,
    queue,
    async start() {
      await Promise.all(sources.map(([i]) => i.start()));
      // Stopped meanwhile, or an informer stopped before its first list: never reconcile from
      // a cache that is not the truth (a garbage collector would think every owner gone).
      if (queue.isShuttingDown() || !sources.every(([i]) => i.hasSynced())) return;
      const count = Math.max(1, def.workers ?? 1);
      workers = Array.from({ length: count }, async () => {
        for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
          // Stopping does not drain: keys left behind are the next leader's (level-triggered).
          if (queue.isShuttingDown()) {
            queue.done(key);
            break;
          }
          await handle(key);
        }
      });
    },
    async stop() {
      for (const remove of unsubscribe.splice(0)) remove();
      queue.shutDown();
      abort.abort();
      await Promise.all(workers);
    },
    async processNext() {
      const key = queue.tryGet();
      return key === undefined ? undefined : handle(key);
    },
  };
}

interface Deps {
  readonly def: ControllerDefinition;
  readonly queue: WorkQueue;
  readonly metrics: KitMetrics;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

async function reconcileOne(key: string, deps: Deps): Promise<Outcome> {
  const { def, queue, metrics } = deps;
  const logger = deps.logger.child({ key });
  const started = deps.clock.now();
  let outcome: Outcome;
  try {
    const result = await def.reconcile(key, {
      signal: deps.signal,
      logger,
      attempt: queue.numRequeues(key),
    });
    queue.forget(key);
    if (result?.requeueAfter !== undefined && result.requeueAfter >= 0) {
      queue.addAfter(key, result.requeueAfter);
      outcome = Outcome.Requeue;
    } else {
      outcome = Outcome.Success;
    }
  } catch (error) {
    outcome = sortFailure(key, error, deps, logger);
  } finally {
    queue.done(key);
  }
  const seconds = Math.max(0, deps.clock.now() - started) / 1000;
  metrics.reconcileDuration.observe({ controller: def.name, result: outcome }, seconds);
  metrics.reconcileTotal.inc({ controller: def.name, result: outcome });
  return outcome;
}

/** Not found: the object is gone, nothing to do. Invalid: retrying cannot help. Else: back off. */
function sortFailure(key: string, error: unknown, deps: Deps, logger: Logger): Outcome {
  if (isBosunError(error, ErrorCode.NotFound)) {
    deps.queue.forget(key);
    return Outcome.NotFound;
  }
  if (isBosunError(error, ErrorCode.Invalid) || isBosunError(error, ErrorCode.BadRequest)) {
    deps.queue.forget(key);
    logger.warn({ err: error }, 'invalid object; waiting for it to change');
    deps.def.onInvalid?.(key, error);
    return Outcome.Invalid;
  }
  logger.info({ err: error, attempt: deps.queue.numRequeues(key) }, 'reconcile failed; requeueing');
  deps.queue.addRateLimited(key);
  return Outcome.Error;
}
