import { Observable, Subject } from 'rxjs';
import { observableToAsyncIterable } from './observable-iterator';

describe('observableToAsyncIterable', () => {
  it('yields every value in order, then ends on complete', async () => {
    const subject = new Subject<number>();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const v of observableToAsyncIterable(subject)) seen.push(v);
    })();
    [1, 2, 3].forEach((v) => subject.next(v));
    subject.complete();
    await reading;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the error after the values before it', async () => {
    const source = new Observable<number>((s) => {
      s.next(1);
      s.error(new Error('boom'));
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of observableToAsyncIterable(source)) seen.push(v);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });

  it('unsubscribes when the consumer breaks out or the signal aborts', async () => {
    let unsubscribed = 0;
    const source = new Observable<number>((s) => {
      s.next(1);
      s.next(2);
      return () => unsubscribed++;
    });
    for await (const _ of observableToAsyncIterable(source)) break;
    const abort = new AbortController();
    const seen: number[] = [];
    for await (const v of observableToAsyncIterable(source, abort.signal)) {
      seen.push(v);
      abort.abort();
    }
    expect(seen).toEqual([1]);
    expect(unsubscribed).toBe(2);
  });
});
