import { connect, type NatsConnection } from 'nats';

/**
 * One client connection that reconnects forever: the relay and the watch outlive NATS restarts,
 * and they notice an outage through request errors and status events, never through a crash.
 */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    timeout: 2_000,
    pingInterval: 5_000,
  });
}

/** Exponential back-off with a ceiling, for retry loops that must never give up. */
export class Backoff {
  private current: number;
  constructor(
    private readonly minMs = 100,
    private readonly maxMs = 5_000,
  ) {
    this.current = minMs;
  }

  next(): number {
    const d = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return d;
  }

  reset(): void {
    this.current = this.minMs;
  }
}
