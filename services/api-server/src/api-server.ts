import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger, type Logger } from '@bosun/common';
import { defaultRegistry, type KindRegistry } from '@bosun/resource-model';
import { writeKubeconfig } from '@bosun/api-client';
import { startRelay, type Relay } from '@bosun/events';
import { openStore, type Store, type StoreOptions } from '@bosun/store';
import { Admission, defaulting, namespaceLifecycle } from './admission/admission';
import { NamespaceCheck } from './admission/namespace-check';
import { nodeRestriction } from './admission/node-restriction';
import { nodeTokenRestriction } from './admission/node-token-restriction';
import { secretStringData } from './admission/secret-string-data';
import { DefaultAuthorizer, type Authorizer } from './auth/authorizer';
import { SecretTokenIndex } from './auth/secret-token-index';
import { ensureAdminToken, StaticTokens, TokenAuthenticator } from './auth/token-authenticator';
import { ensureComponentTokens, readTokenFile, type StaticToken } from './auth/token-file';
import { COMPONENTS } from './auth/user';
import { ensureSystemNamespaces } from './bootstrap-namespaces';
import { startGrpcServer } from './grpc/grpc-server';
import type { ApiContext } from './handlers/context';
import type { Registry } from 'prom-client';
import { startCompactor, type CompactionOptions } from './compaction/compactor';
import { createUpgradeHandler } from './handlers/pod-exec';
import { createRouter, DEFAULT_MAX_LONG_RUNNING } from './http/api-router';
import { ConcurrencyLimit } from './http/concurrency-limit';
import { RequestMetrics } from './http/request-metrics';
import { NodeAgentDialer } from './node-proxy/node-agent-client';
import { ensureServingPki } from './tls/pki';
import { WatchHub, type WatchHubOptions } from './watch/watch-hub';

export interface ApiServerOptions {
  /** Where the CA, serving cert, admin token and kubeconfig live (created on first start). */
  readonly home: string;
  readonly port: number;
  readonly host?: string;
  /** Extra SANs for the serving certificate. */
  readonly hosts?: readonly string[];
  /** An open store, or how to open one (the server then closes it on stop). */
  /** A store, or where to open one (its statement timeout and write-queue bound, `StoreOptions`). */
  readonly store:
    Store | Pick<StoreOptions, 'url' | 'schema' | 'statementTimeoutMs' | 'maxQueuedWrites'>;
  readonly registry?: KindRegistry;
  readonly authorizer?: Authorizer;
  readonly log?: Logger;
  readonly bookmarkIntervalMs?: number;
  /** The watch hub's safety-net poll and its wait for a revision past the head. */
  readonly watch?: WatchHubOptions;
  /**
   * The event log on NATS JetStream: when given, this api-server also runs the relay (one leader
   * among all api-servers) that publishes every committed change for the other components.
   */
  readonly nats?: { readonly url: string; readonly prefix?: string };
  /** Where request metrics go (the service's registry); none when absent. */
  readonly metrics?: Registry;
  /** Most concurrent non-long-running requests before 429 (default 800). */
  readonly maxInflight?: number;
  /** Most concurrent watches, streams and exec sessions before 429 (default 1000). */
  readonly maxLongRunning?: number;
  /** Deadline of a non-long-running request in ms, 504 past it (default 60000; 0 = none). */
  readonly requestTimeoutMs?: number;
  /** Port of the gRPC API on the same host and certificate; absent or 0 = any free port. */
  readonly grpcPort?: number;
  /**
   * An operator-managed static token file (`token,user,uid,"groups"`); absent = the api-server
   * keeps `<home>/tokens.csv` with a token per control-plane component.
   */
  readonly tokenAuthFile?: string;
  /** Event-log compaction on a timer; absent = never (tests). */
  readonly compaction?: CompactionOptions;
}

export interface RunningApiServer {
  readonly port: number;
  readonly url: string;
  readonly token: string;
  readonly caCertPem: string;
  readonly kubeconfigPath: string;
  /** Kubeconfig per control-plane component user that has a static token (e.g. `system:kube-scheduler`). */
  readonly componentKubeconfigs: Readonly<Record<string, string>>;
  readonly store: Store;
  /** The gRPC API's port and `host:port` address (TLS with the same CA as `url`). */
  readonly grpcPort: number;
  readonly grpcAddress: string;
  /** The event-log relay, when `nats` was given (it publishes only while it leads). */
  readonly relay?: Relay;
  stop(): Promise<void>;
}

const isStore = (s: ApiServerOptions['store']): s is Store =>
  typeof (s as Store).get === 'function';

/** Field selector keys per resource that the store must index (from the kind registry). */
function indexedFields(registry: KindRegistry): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of registry.kinds())
    out[k.resource] = [...new Set([...(out[k.resource] ?? []), ...k.fieldSelectors])];
  return out;
}

/** Starts the Kubernetes REST API over HTTPS and the gRPC API, and writes `$home/kubeconfig`. */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const log = opts.log ?? createLogger('api-server');
  const registry = opts.registry ?? defaultRegistry;
  const pki = await ensureServingPki(opts.home, opts.hosts ?? []);
  const token = await ensureAdminToken(join(opts.home, 'admin.token'));
  const staticTokens: StaticToken[] = opts.tokenAuthFile
    ? await readTokenFile(opts.tokenAuthFile)
    : await ensureComponentTokens(join(opts.home, 'tokens.csv'));
  const ownsStore = !isStore(opts.store);
  const store = isStore(opts.store)
    ? opts.store
    : await openStore({
        url: opts.store.url,
        schema: opts.store.schema,
        statementTimeoutMs: opts.store.statementTimeoutMs,
        maxQueuedWrites: opts.store.maxQueuedWrites,
        indexedFields: indexedFields(registry),
      });
  await ensureSystemNamespaces(store);
  const relay: Relay | undefined = opts.nats
    ? startRelay({ store, natsUrl: opts.nats.url, prefix: opts.nats.prefix, logger: log })
    : undefined;
  const hub = new WatchHub(store, log, opts.watch);
  await hub.start();
  const compactor = opts.compaction ? startCompactor(store, opts.compaction, log) : undefined;
  const secretTokens = new SecretTokenIndex(store, hub, log);
  await secretTokens.start();
  const ctx: ApiContext = {
    store,
    registry,
    admission: new Admission([
      namespaceLifecycle,
      secretStringData,
      defaulting,
      nodeTokenRestriction(store),
      nodeRestriction,
    ]),
    namespaces: new NamespaceCheck(store),
    hub,
    log,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 30_000,
    nodes: new NodeAgentDialer(),
  };
  let port = 0;
  const host = opts.host ?? '127.0.0.1';
  const authenticator = new TokenAuthenticator(
    StaticTokens.fromFile(token, staticTokens),
    secretTokens,
  );
  const authorizer = opts.authorizer ?? new DefaultAuthorizer();
  const longRunning = new ConcurrencyLimit(
    opts.maxLongRunning ?? DEFAULT_MAX_LONG_RUNNING,
    'long-running requests (watches, streams, exec)',
  );
  const server: Server = createServer(
    { cert: pki.certPem, key: pki.keyPem, keepAliveTimeout: 65_000 },
    createRouter({
      ctx,
      authenticator,
      authorizer,
      serverAddress: () => `${host}:${port}`,
      ready: () => true,
      metrics: opts.metrics ? new RequestMetrics(opts.metrics) : undefined,
      maxInflight: opts.maxInflight,
      longRunning,
      requestTimeoutMs: opts.requestTimeoutMs,
    }),
  );
  const upgrades = createUpgradeHandler({ ctx, authenticator, authorizer, longRunning });
  server.on('upgrade', upgrades.handle);
  server.headersTimeout = 60_000;
  server.requestTimeout = 0; // watches are long-lived
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const grpc = await startGrpcServer({
    ctx,
    authenticator,
    authorizer,
    host,
    port: opts.grpcPort ?? 0,
    certPem: pki.certPem,
    keyPem: pki.keyPem,
    metrics: opts.metrics,
  }).catch(async (e: unknown) => {
    secretTokens.stop();
    await compactor?.stop();
    await relay?.stop();
    await hub.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ownsStore) await store.close();
    throw e;
  });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const connectHost = urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost;
  const url = `https://${connectHost}:${port}`;
  const grpcAddress = `${connectHost}:${grpc.port}`;
  const kubeconfigPath = join(opts.home, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.caCertPem, token });
  const componentKubeconfigs: Record<string, string> = {};
  for (const c of COMPONENTS) {
    const t = staticTokens.find((s) => s.user === c.user);
    if (!t) continue;
    const path = join(opts.home, c.kubeconfig);
    await writeKubeconfig(path, {
      server: url,
      caPem: pki.caCertPem,
      token: t.token,
      user: c.user,
    });
    componentKubeconfigs[c.user] = path;
  }
  log.info({ url, grpc: grpcAddress, kubeconfig: kubeconfigPath }, 'Kubernetes API serving');
  return {
    port,
    url,
    token,
    caCertPem: pki.caCertPem,
    kubeconfigPath,
    componentKubeconfigs,
    store,
    grpcPort: grpc.port,
    grpcAddress,
    relay,
    async stop() {
      secretTokens.stop();
      await compactor?.stop();
      await relay?.stop();
      await hub.stop();
      await grpc.stop();
      upgrades.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsStore) await store.close();
    },
  };
}
