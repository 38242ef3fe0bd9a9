import type { Logger } from '@bosun/common';
import type { RestResourceRef } from './adapters/rest-client';
import type { Clock } from './clock';
import { Informer } from './informer';
import type { KubeObject, ListWatchPort } from './types';

/** A selection of one collection: label and field selectors, as list and watch take them. */
export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** Builds the list+watch port for a collection; tests hand in in-memory ports. */
export type PortFor = (ref: RestResourceRef, selectors: Selectors) => ListWatchPort<KubeObject>;

export interface InformerFactoryOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * One shared informer per collection and selection, as client-go's SharedInformerFactory: every
 * controller that needs pods reads the same cache and the api-server serves one watch.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(
    private readonly portFor: PortFor,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  for<T extends KubeObject = KubeObject>(
    ref: RestResourceRef,
    selectors: Selectors = {},
  ): Informer<T> {
    const { labelSelector = '', fieldSelector = '' } = selectors;
    const key = `${ref.group}/${ref.version}/${ref.resource}?${labelSelector}&${fieldSelector}`;
    let informer = this.informers.get(key);
    if (!informer) {
      const selected = labelSelector || fieldSelector ? `(${labelSelector}|${fieldSelector})` : '';
      informer = new Informer<KubeObject>({
        name: `${ref.resource}${selected}`,
        port: this.portFor(ref, selectors),
        clock: this.opts.clock,
        logger: this.opts.logger?.child({ informer: ref.resource, ...selectors }),
      });
      this.informers.set(key, informer);
    }
    // One cache per collection holds one kind; the caller names the type it reads it as.
    return informer as unknown as Informer<T>;
  }

  all(): Informer<KubeObject>[] {
    return [...this.informers.values()];
  }

  /**
   * Starts every informer not yet running and waits for all of them to list: true when all are
   * synced, false when one was stopped or `signal` aborted first.
   */
  async startAndSync(signal?: AbortSignal): Promise<boolean> {
    const informers = this.all();
    for (const i of informers) void i.start();
    if (signal?.aborted) return false;
    // One listener on the signal, not one per informer (a manager may have dozens).
    const ended = new Promise<boolean>((resolve) =>
      signal?.addEventListener('abort', () => resolve(false), { once: true }),
    );
    const synced = Promise.all(informers.map((i) => i.waitForSync())).then((all) =>
      all.every(Boolean),
    );
    return Promise.race([synced, ended]);
  }

  stopAll(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
