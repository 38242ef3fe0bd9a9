/**
 * What several processes sharing one store agree on outside the log: who leads, and where a
 * named consumer left off.
 */
export interface Coordination {
  /**
   * Try to become the single holder of `name` (in Postgres: a session advisory lock on a dedicated
   * connection): resolves to a lease when won, undefined when another process holds it. The lease
   * is lost when this process dies or its connection drops (`lost` then resolves).
   */
  tryLeadership(name: string): Promise<LeadershipLease | undefined>;
  /** A durable named checkpoint (e.g. the relay's last published revision). */
  getCheckpoint(name: string): Promise<number | undefined>;
  setCheckpoint(name: string, revision: number): Promise<void>;
}

export interface LeadershipLease {
  /** Resolves when the lease is lost (connection dropped). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}
