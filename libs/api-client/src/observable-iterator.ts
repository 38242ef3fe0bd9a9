import type { Observable } from 'rxjs';

/**
 * Consumes an observable as an async iterable: values queue until read; breaking out of the
 * loop or aborting `signal` unsubscribes (which cancels a gRPC stream); an error is thrown at
 * the point the consumer reaches it, after the values before it.
 */
export async function* observableToAsyncIterable<T>(
  source: Observable<T>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let failure: { error: unknown } | undefined;
  let done = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const subscription = source.subscribe({
    next: (v) => {
      queue.push(v);
      notify();
    },
    error: (error: unknown) => {
      failure = { error };
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
  });
  const onAbort = (): void => {
    done = true;
    notify();
  };
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal?.aborted) return;
      if (queue.length > 0) {
        yield queue.shift() as T;
        continue;
      }
      if (failure) throw failure.error;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  }
}
