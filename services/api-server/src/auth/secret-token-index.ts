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
import { nodeTokenRecord, nodeUser } from './node-token';
import type { UserInfo } from './user';

export const TOKEN_NAMESPACE = 'kube-system';
const SECRETS: ResourceType = { group: '', resource: 'secrets', namespaced: true };
/** How long a miss waits for this api-server to see the newest commits before it answers 401. */
const CATCH_UP_MS = 3_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Bootstrap-token and node-token Secrets of kube-system, kept in memory from a list plus the
 * api-server's own watch (WatchHub), so authenticating costs no query. A deleted or changed
 * Secret stops working as soon as its event arrives. A token not found waits until this server
 * has seen every commit made before the request (read-your-writes: a node that has just created
 * its node-token Secret through another api-server can use it at once).
 */
export class SecretTokenIndex {
  private readonly bootstrap = new Map<string, BootstrapTokenRecord>();
  /** sha256(token) → node name; hashing keeps the lookup from comparing secrets byte by byte. */
  private readonly nodes = new Map<string, string>();
  /** Secret name → the key it holds in `nodes`, to drop it when the Secret changes or goes. */
  private readonly nodeKeys = new Map<string, string>();
  private unregister: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly hub: WatchHub,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

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
    if (user || this.stopped) return user;
    const head = await this.store.currentRevision();
    const caughtUp = await this.hub.reached(head, CATCH_UP_MS);
    if (!caughtUp) this.log.warn({ head }, 'token lookup: watch did not catch up in time');
    return this.lookup(token);
  }

  private async load(): Promise<number> {
    this.bootstrap.clear();
    this.nodes.clear();
    this.nodeKeys.clear();
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
    if (b) this.bootstrap.set(b.id, b);
    const n = nodeTokenRecord(obj);
    if (n) {
      const key = digest(n.token);
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
