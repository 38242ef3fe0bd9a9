import type { BosunError } from '@bosun/common';
import type { StoreEvent } from '@bosun/store';
import { watch, type WatchOptions } from './watch';

export interface WatchIteratorOptions extends Omit<WatchOptions, 'onEvent' | 'onError'> {
  /** Events buffered ahead of the consumer before the watch waits for it (default 1,000). */
  readonly highWaterMark?: number;
}

export interface WatchIterator extends AsyncIterableIterator<StoreEvent> {
  /** Ends the iteration (a pending `next()` resolves done). */
  stop(): Promise<void>;
  /** The revision of the last event the consumer took: where to resume. */
  lastRevision(): number;
}

/**
 * The watch as an async iterator: `for await (const e of watchIterator({...}))`. Breaking out of
 * the loop stops the watch; Gone and handler-independent failures are thrown from `next()` after
 * the events before them.
 */
export function watchIterator(opts: WatchIteratorOptions): WatchIterator {
  const queue: StoreEvent[] = [];
  const hwm = opts.highWaterMark ?? 1_000;
  let taken = opts.from;
  let failure: BosunError | undefined;
  let ended = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const signalConsumer = (): void => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };

  const w = watch({
    ...opts,
    onEvent: async (e) => {
      queue.push(e);
      signalConsumer();
      // Back-pressure: the watch delivers the next event only once the consumer keeps up.
      while (queue.length >= hwm && !ended) await new Promise<void>((r) => (wakeProducer = r));
    },
    onError: (err) => {
      failure = err;
    },
  });
  void w.done.then(() => {
    ended = true;
    signalConsumer();
  });

  const stop = async (): Promise<void> => {
    ended = true;
    wakeProducer?.();
    signalConsumer();
    await w.stop();
  };

  const iterator: WatchIterator = {
    async next(): Promise<IteratorResult<StoreEvent>> {
      for (;;) {
        const e = queue.shift();
        if (e) {
          taken = e.revision;
          wakeProducer?.();
          return { value: e, done: false };
        }
        if (failure) {
          const err = failure;
          failure = undefined;
          ended = true;
          throw err;
        }
        if (ended) return { value: undefined, done: true };
        await new Promise<void>((r) => (wakeConsumer = r));
      }
    },
    async return(): Promise<IteratorResult<StoreEvent>> {
      await stop();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    stop,
    lastRevision: () => taken,
  };
  return iterator;
}
