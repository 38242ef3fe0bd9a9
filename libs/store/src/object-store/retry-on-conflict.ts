import { randomInt } from 'node:crypto';
import { ErrorCode, isBosunError } from '@bosun/common';

/*
 * Kubernetes retries a guaranteed update without bound; we bound it, but generously: with k
 * writers racing for one key each attempt is roughly a 1-in-k lottery, and 16 tries lose too often
 * under real contention. Full-jitter exponential back-off (capped) spreads the losers out.
 */
export const GUARANTEED_WRITE_ATTEMPTS = 64;
const BACKOFF_CAP_MS = 100;

/** The write an attempt decided on, made with the read revision as its precondition. */
export type Commit<T> = () => Promise<T>;

/**
 * Kubernetes' GuaranteedUpdate loop, for any read-decide-write: `attempt` reads the current object
 * and checks the caller's own preconditions (a Conflict it throws is final: the caller asked for a
 * version that is gone), then returns the write to make, guarded by the revision it read. A
 * Conflict from that write means someone else wrote in between: read again and decide again, with
 * back-off, until the write lands or the attempts run out (sustained contention: the Conflict
 * reaches the caller).
 */
export async function retryOnConflict<T>(attempt: (n: number) => Promise<Commit<T>>): Promise<T> {
  for (let n = 1; ; n++) {
    const commit = await attempt(n);
    try {
      return await commit();
    } catch (e) {
      if (!isBosunError(e, ErrorCode.Conflict) || n >= GUARANTEED_WRITE_ATTEMPTS) throw e;
      const ceiling = Math.min(BACKOFF_CAP_MS, 2 ** Math.min(n, 7));
      await new Promise((r) => setTimeout(r, randomInt(0, ceiling + 1)));
    }
  }
}
