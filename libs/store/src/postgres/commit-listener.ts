import { Client, type ClientConfig } from 'pg';
import type { Logger } from '@bosun/common';
import { unavailable } from '../store-errors';

/** Idle time before the first TCP keepalive probe on the LISTEN connection. */
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * The LISTEN connection's settings. It only ever receives, so without TCP keepalive a peer that
 * vanished (a failover, a dropped NAT entry) leaves it half-open for hours and no 'error' ever
 * comes: keepalive makes the kernel notice, and the reconnect below runs. What is lost meanwhile
 * the watchers' periodic reads of the log make good.
 */
export function listenClientConfig(url: string, schema: string): ClientConfig {
  return {
    connectionString: url,
    options: `-c search_path=${schema}`,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  };
}

/**
 * One LISTEN connection per store, opened on first subscription. A dropped connection is
 * reopened with back-off; after a reconnect every listener is told the current revision, since
 * notifications sent meanwhile are lost (they are hints, the log is the truth).
 */
export class CommitListener {
  private readonly listeners = new Set<(rev: number) => void>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly channel: string,
    private readonly currentRevision: () => Promise<number>,
    private readonly log: Logger,
  ) {}

  async subscribe(fn: (rev: number) => void): Promise<() => Promise<void>> {
    this.listeners.add(fn);
    try {
      await this.ensureConnected();
    } catch (e) {
      this.listeners.delete(fn);
      throw unavailable('cannot open the commit notification connection', e);
    }
    return async () => {
      this.listeners.delete(fn);
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client(listenClientConfig(this.url, this.schema));
    const dropped = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err }, 'commit listener connection lost; reconnecting');
      this.scheduleReconnect(100);
    };
    client.on('error', dropped);
    client.on('end', () => dropped());
    client.on('notification', (n) => {
      const rev = Number(n.payload);
      if (Number.isSafeInteger(rev)) this.emit(rev);
    });
    await client.connect();
    this.client = client; // from here a drop is noticed and reconnected by `dropped`
    try {
      await client.query(`LISTEN "${this.channel}"`);
    } catch (e) {
      if (this.client === client) this.client = undefined;
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  private scheduleReconnect(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.ensureConnected()
        .then(async () => this.emit(await this.currentRevision()))
        .catch(() => this.scheduleReconnect(Math.min(delayMs * 2, 5_000)));
    }, delayMs);
    this.retryTimer.unref();
  }

  private emit(rev: number): void {
    for (const fn of this.listeners) {
      try {
        fn(rev);
      } catch (err) {
        this.log.error({ err }, 'onCommit listener threw');
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
