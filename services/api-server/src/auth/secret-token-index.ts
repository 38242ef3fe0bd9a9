import { createHash } from 'node:crypto';
import type { Logger } from '@bosun/common';
import type { ResourceType, Store, StoreEvent, StoredObject } from '@bosun/store';
import type { WatchHub } from '../watch/watch-hub';
import {
  authenticateBootstrapToken,
  BOOTSTRAP_TOKEN_PATTERN,
  bootstrapTokenRecord,
  type BootstrapTokenRecord,
} from './bootstrap-token';
import { NegativeTokenCache } from './negative-token-cache';
import { nodeTokenRecord, nodeUser } from './node-token';
import type { UserInfo } from './user';

export const TOKEN_NAMESPACE = 'kube-system';
const SECRETS: ResourceType = { group: '', resource: 'secrets', namespaced: true };
/** How long a miss waits for this api-server to see the newest commits before it answers 401. */
const CATCH_UP_MS = 3_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** How a miss is bounded: unknown tokens must not buy a query and a wait each. */
export interface TokenMissLimits {
  /** Requests waiting for a catch-up at once; past it a miss answers at once (default 32). */
  readonly maxWaiting: number;
  /** How long a miss is remembered (default 10 s; a token that appears is forgotten at once). */
  readonly negativeTtlMs: number;
  /** Most misses remembered (default 10000; the oldest goes first). */
  readonly negativeMaxEntries: number;
}

const DEFAULT_MISS_LIMITS: TokenMissLimits = {
  maxWaiting: 32,
  negativeTtlMs: 10_000,
  negativeMaxEntries: 10_000,
};

/** base64, base64url or hex of at least NODE_TOKEN_MIN_LENGTH characters (the agent's are 43). */
const NODE_TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{32,512}$/;

/**
 * Whether a token could be a bootstrap token (`<6>.<16>`) or a node token: only those are worth
 * catching up with the log for. Anything else is answered from memory.
 */
export const plausibleSecretToken = (token: string): boolean =>
  BOOTSTRAP_TOKEN_PATTERN.test(token) || NODE_TOKEN_SHAPE.test(token);

/**
 * Bootstrap-token and node-token Secrets of kube-system, kept in memory from a list plus the
 * api-server's own watch (WatchHub), so authenticating costs no query. A deleted or changed
 * Secret stops working as soon as its event arrives. A token not found waits until this server
 * has seen every commit made before the request (read-your-writes: a node that has just created
 * its node-token Secret through another api-server can use it at once).
 *
 * That catch-up costs a query and may wait, so a miss is bounded: only a plausibly shaped token
 * takes it, concurrent misses share one catch-up, at most `maxWaiting` requests wait at once, and a
 * miss is remembered for a short while (forgotten as soon as the token appears).
 */
export class SecretTokenIndex {
  private readonly bootstrap = new Map<string, BootstrapTokenRecord>();
  /** sha256(token) → node name; hashing keeps the lookup from comparing secrets byte by byte. */
  private readonly nodes = new Map<string, string>();
  /** Secret name → the key it holds in `nodes`, to drop it when the Secret changes or goes. */
  private readonly nodeKeys = new Map<string, string>();
  private unregister: (() => void) | undefined;
  private stopped = false;
  private readonly limits: TokenMissLimits;
  private readonly misses: NegativeTokenCache;
  private waiting = 0;
  private catchingUp: Promise<void> | undefined;
  private nextCatchUp: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly hub: WatchHub,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    limits: Partial<TokenMissLimits> = {},
  ) {
    this.limits = { ...DEFAULT_MISS_LIMITS, ...limits };
    this.misses = new NegativeTokenCache(
      this.limits.negativeTtlMs,
      this.limits.negativeMaxEntries,
      now,
    );
  }

  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const revision = await this.load();
        this.unregister = await this.hub.follow(
          revision,
          { group: '', resource: 'secrets', namespace: TOKEN_NAMESPACE },
          {
            matches: (e) => isTokenNamespaceSecret(e),
            push: (e) => this.apply(e),
            fail: (e) => this.restart(e),
          },
        );
        return;
      } catch (e) {
        // Compacted between the list and the follow: list again.
        if (attempt >= 3) throw e;
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unregister?.();
  }

  /** The user `token` names, without waiting; undefined when this server knows no such token. */
  lookup(token: string): UserInfo | undefined {
    const m = BOOTSTRAP_TOKEN_PATTERN.exec(token);
    if (m) return authenticateBootstrapToken(token, this.bootstrap.get(m[1]), this.now());
    const node = this.nodes.get(digest(token));
    return node === undefined ? undefined : nodeUser(node);
  }

  /** As `lookup`, but a miss first catches up with every commit made so far, then looks again. */
  async authenticate(token: string): Promise<UserInfo | undefined> {
    const user = this.lookup(token);
    if (user || this.stopped || !plausibleSecretToken(token)) return user;
    const key = digest(token);
    if (this.misses.has(key)) return undefined;
    if (this.waiting >= this.limits.maxWaiting) return undefined;
    this.waiting++;
    try {
      await this.catchUp();
    } finally {
      this.waiting--;
    }
    const found = this.lookup(token);
    if (!found) this.misses.add(key);
    return found;
  }

  /**
   * Waits until this server has read every commit made before the call. Concurrent callers share
   * one catch-up; one arriving while a catch-up runs waits for the next (its head must be read
   * after the caller arrived), which every later arrival shares too: at most two at a time.
   */
  private catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = this.readHeadAndWait().finally(() => (this.catchingUp = undefined));
      return this.catchingUp;
    }
    this.nextCatchUp ??= this.catchingUp
      .catch(() => undefined)
      .then(() => {
        this.nextCatchUp = undefined;
        return this.catchUp();
      });
    return this.nextCatchUp;
  }

  private async readHeadAndWait(): Promise<void> {
    const head = await this.store.currentRevision();
    const caughtUp = await this.hub.reached(head, CATCH_UP_MS);
    if (!caughtUp) this.log.warn({ head }, 'token lookup: watch did not catch up in time');
  }

  private async load(): Promise<number> {
    this.bootstrap.clear();
    this.nodes.clear();
    this.nodeKeys.clear();
    this.misses.clear();
    let cont: string | undefined;
    let revision = 0;
    do {
      const page = await this.store.list(SECRETS, {
        namespace: TOKEN_NAMESPACE,
        limit: 500,
        continue: cont,
      });
      revision = page.revision;
      for (const o of page.items) this.put(o);
      cont = page.continue;
    } while (cont);
    return revision;
  }

  private apply(e: StoreEvent): void {
    const name = e.key.name;
    this.remove(name);
    if (e.type !== 'DELETED') this.put(e.object);
  }

  private put(obj: StoredObject): void {
    const name = obj.metadata.name ?? '';
    const b = bootstrapTokenRecord(obj);
    if (b) {
      this.bootstrap.set(b.id, b);
      this.misses.forget(digest(`${b.id}.${b.secret.toString('utf8')}`));
    }
    const n = nodeTokenRecord(obj);
    if (n) {
      const key = digest(n.token);
      this.misses.forget(key);
      this.nodes.set(key, n.nodeName);
      this.nodeKeys.set(name, key);
    }
  }

  private remove(name: string): void {
    if (name.startsWith('bootstrap-token-')) this.bootstrap.delete(name.slice(16));
    const key = this.nodeKeys.get(name);
    if (key !== undefined) {
      this.nodes.delete(key);
      this.nodeKeys.delete(name);
    }
  }

  private restart(e: unknown): void {
    this.unregister?.();
    if (this.stopped) return;
    this.log.warn({ err: e }, 'token index lost its watch; reloading');
    this.start().catch((err: unknown) =>
      this.log.error({ err }, 'token index cannot reload; secret tokens are refused'),
    );
  }
}

const isTokenNamespaceSecret = (e: StoreEvent): boolean =>
  e.key.group === '' && e.key.resource === 'secrets' && e.key.namespace === TOKEN_NAMESPACE;
