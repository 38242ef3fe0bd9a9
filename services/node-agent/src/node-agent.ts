import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiClient } from '@bosun/api-client';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import { realClock, type Clock } from '@bosun/controller-kit';
import { ImageStore, RegistryClient } from '@bosun/image';
import { selectRuntime, type ContainerRuntime, type RuntimeName } from '@bosun/runtime';
import type { Registry } from 'prom-client';
import { loadOrCreateServingCert, startNodeAgentGrpc, type RunningNodeAgentGrpc } from './grpc';
import { FakeImageProvider, StoreImageProvider, type ImageProvider } from './images/image-provider';
import { EvictionManager } from './disk/eviction-manager';
import {
  DEFAULT_EVICTION_HARD,
  parseEvictionThresholds,
  type EvictionThreshold,
} from './disk/eviction-thresholds';
import { NodeHeartbeat } from './node/node-heartbeat';
import { hostFacts, type NodeFacts } from './node/node-object';
import { ApiClusterPort } from './ports/api-cluster-port';
import type { ClusterPort } from './ports/cluster-port';
import { PodListWatch } from './ports/pod-list-watch';
import { CrashBackoff, DEFAULT_BACKOFF, type BackoffConfig } from './pods/crash-backoff';
import { PodSyncer } from './pods/pod-sync';
import { PodWorkers } from './pods/pod-workers';
import { ProbeTracker } from './pods/probe-tracker';
import { RuntimeSnapshot } from './pods/runtime-snapshot';
import { Quantity } from '@bosun/api-types';

export interface NodeAgentOptions {
  readonly nodeName: string;
  readonly client: ApiClient;
  readonly logger: Logger;
  /** State directory (runtime state, images, pod volumes). */
  readonly root: string;
  /** An already open runtime (tests, hollow nodes); otherwise chosen by `runtimeName`/host. */
  readonly runtime?: ContainerRuntime;
  readonly runtimeName?: RuntimeName;
  readonly podCidr?: string;
  readonly images?: ImageProvider;
  /** Registries pulled from over plain http besides loopback ones (`host[:port]` or CIDR). */
  readonly insecureRegistries?: readonly string[];
  readonly clock?: Clock;
  readonly backoff?: BackoffConfig;
  /** Runtime relist period (default 1 s): pods whose containers changed are synced. */
  readonly resyncMs?: number;
  /** Every pod is synced at least this often (default 10 s). */
  readonly podResyncMs?: number;
  readonly workers?: number;
  readonly leaseRenewMs?: number;
  readonly statusUpdateMs?: number;
  /** Record core/v1 Events (default true; hollow nodes at scale may turn them off). */
  readonly recordEvents?: boolean;
  readonly facts?: Partial<NodeFacts>;
  /** Hard eviction thresholds (`--eviction-hard`); default DEFAULT_EVICTION_HARD, [] = off. */
  readonly evictionHard?: readonly EvictionThreshold[];
  /** How often the node file system is measured (default 10 s). */
  readonly evictionMonitorMs?: number;
  /** How long DiskPressure stays after the thresholds stop being met (default 5 min). */
  readonly evictionPressureTransitionMs?: number;
  readonly registry?: Registry;
  /**
   * Serve NodeAgentService (kubectl logs/exec through the api-server) over TLS with a self-signed
   * certificate published on the Node; callers must present `token`. Absent: not served (hollow
   * nodes).
   */
  readonly serve?: { readonly token: string; readonly port: number; readonly host?: string };
}

/**
 * One node's agent: registers the Node and keeps its Lease and status fresh, and runs the pods
 * bound to it through the container runtime. Many can live in one process (hollow nodes).
 */
export class NodeAgent {
  private constructor(
    readonly runtime: ContainerRuntime,
    readonly facts: NodeFacts,
    readonly cluster: ClusterPort,
    private readonly heartbeat: NodeHeartbeat,
    private readonly workers: PodWorkers,
    private readonly ownsRuntime: boolean,
    private readonly grpc: RunningNodeAgentGrpc | undefined,
    private readonly eviction: EvictionManager | undefined,
  ) {}

  /**
   * Starts every part in order. When one fails, what already started is stopped again in
   * reverse order (runtime closed, gRPC port released, timers and workers stopped), so a failed
   * start leaves nothing listening or running, and the error names the step.
   */
  static async start(opts: NodeAgentOptions): Promise<NodeAgent> {
    const log = opts.logger.child({ node: opts.nodeName });
    const undo: (() => Promise<void> | void)[] = [];
    const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (e) {
        throw new NodeAgentStartError(opts.nodeName, what, e);
      }
    };
    try {
      return await NodeAgent.startParts(opts, log, undo, step);
    } catch (e) {
      for (const stop of undo.reverse()) {
        await Promise.resolve()
          .then(stop)
          .catch((err: unknown) => log.warn({ err }, 'cleanup after a failed start failed'));
      }
      log.error({ err: e }, 'node agent failed to start; everything it started is stopped');
      throw e;
    }
  }

  private static async startParts(
    opts: NodeAgentOptions,
    log: Logger,
    undo: (() => Promise<void> | void)[],
    step: <T>(what: string, run: () => Promise<T>) => Promise<T>,
  ): Promise<NodeAgent> {
    const { runtime, owns } = await step('open the container runtime', () =>
      openRuntime(opts, log),
    );
    if (owns) undo.push(() => runtime.close());
    const fake = runtime.info().name === 'fake';
    const hostAndConfig: NodeFacts = {
      ...hostFacts(
        opts.nodeName,
        opts.root,
        `${runtime.info().name}://${runtime.info().version}`,
        opts.podCidr,
      ),
      ...opts.facts,
    };
    // The agent's own store: pulls go into it, and LoadImage (bosun image load) writes to it.
    const store =
      opts.images instanceof StoreImageProvider
        ? opts.images.store
        : opts.images || fake
          ? undefined
          : await step('open the image store', () =>
              ImageStore.open(join(opts.root, 'images'), log),
            );
    const grpc =
      opts.serve &&
      (await step(
        `serve NodeAgentService on ${opts.serve.host ?? '0.0.0.0'}:${opts.serve.port}`,
        () => serveNodeAgent(opts, runtime, hostAndConfig, log, store),
      ));
    if (grpc) undo.push(() => grpc.stop());
    const facts: NodeFacts = grpc
      ? {
          ...hostAndConfig,
          kubeletPort: grpc.port,
          annotations: grpc.nodeFields().annotations,
        }
      : hostAndConfig;
    const cluster = new ApiClusterPort(opts.client, opts.nodeName, log);
    const clock = opts.clock ?? realClock;
    let eviction: EvictionManager | undefined;
    const heartbeat = new NodeHeartbeat({
      cluster,
      facts,
      logger: log,
      clock,
      pressure: () => eviction?.pressure() ?? {},
      leaseRenewMs: opts.leaseRenewMs,
      statusUpdateMs: opts.statusUpdateMs,
    });
    undo.push(() => heartbeat.stop());
    await step('register the Node with the api-server', () => heartbeat.start());
    // Half the relist period: a relist and the syncs it triggers share one runtime listing.
    const snapshot = new RuntimeSnapshot(runtime, clock, Math.max(10, (opts.resyncMs ?? 1000) / 2));
    const syncer = new PodSyncer({
      runtime,
      cluster,
      images:
        opts.images ??
        (store ? storeImages(store, log, opts.insecureRegistries) : new FakeImageProvider()),
      logger: log,
      clock,
      backoff: new CrashBackoff(opts.backoff ?? DEFAULT_BACKOFF),
      probes: new ProbeTracker(),
      snapshot,
      nodeName: opts.nodeName,
      hostIP: facts.internalIP,
      podsDir: join(opts.root, 'pods'),
      materializeVolumes: !fake,
      nodeCpu: Quantity.tryParse(facts.cpu)?.toNumber() ?? 1,
      nodeMemoryBytes: Quantity.tryParse(facts.memory)?.toNumber() ?? 0,
      recordEvents: opts.recordEvents ?? true,
    });
    const workers = new PodWorkers({
      name: opts.nodeName,
      port: new PodListWatch(opts.client, opts.nodeName),
      syncer,
      logger: log,
      clock,
      workers: opts.workers,
      resyncMs: opts.resyncMs,
      podResyncMs: opts.podResyncMs,
      listContainers: () => snapshot.all(),
      registry: opts.registry,
    });
    undo.push(() => workers.stop());
    await step('list and watch the pods bound to this node', () => workers.start());
    if (!fake) {
      eviction = new EvictionManager({
        nodeName: opts.nodeName,
        thresholds: opts.evictionHard ?? parseEvictionThresholds(DEFAULT_EVICTION_HARD),
        nodeFsPath: opts.root,
        imageFsPath: store?.root ?? opts.root,
        podsDir: join(opts.root, 'pods'),
        runtime,
        cluster,
        logger: log,
        clock,
        images: store,
        pods: () => workers.informer.list(),
        evict: (pod, why) => workers.evict(pod, why),
        onPressureChange: () => {
          heartbeat
            .updateStatus()
            .catch((e: unknown) => log.warn({ err: e }, 'node status update failed'));
        },
        monitorMs: opts.evictionMonitorMs,
        pressureTransitionMs: opts.evictionPressureTransitionMs,
      });
      const manager = eviction;
      undo.push(() => manager.stop());
      manager.start();
    }
    log.info({ runtime: runtime.info().name }, 'node agent running');
    return new NodeAgent(
      runtime,
      facts,
      cluster,
      heartbeat,
      workers,
      owns,
      grpc || undefined,
      eviction,
    );
  }

  get name(): string {
    return this.facts.name;
  }

  /** Stops watching and heartbeating; containers keep running (a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.heartbeat.stop();
    await this.eviction?.stop();
    await this.workers.stop();
    await this.grpc?.stop();
    if (this.ownsRuntime) await this.runtime.close();
  }
}

/** A failed start, naming the step that failed; `cause` is the underlying error. */
export class NodeAgentStartError extends BosunError {
  constructor(
    readonly nodeName: string,
    readonly step: string,
    cause: unknown,
  ) {
    super(
      ErrorCode.Unavailable,
      `node agent ${nodeName}: cannot ${step}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, context: { node: nodeName, step } },
    );
    this.name = 'NodeAgentStartError';
  }
}

async function openRuntime(
  opts: NodeAgentOptions,
  logger: Logger,
): Promise<{ runtime: ContainerRuntime; owns: boolean }> {
  if (opts.runtime) return { runtime: opts.runtime, owns: false };
  const root = join(opts.root, 'runtime');
  if (opts.runtimeName !== 'fake') await mkdir(root, { recursive: true });
  const { runtime } = await selectRuntime({
    runtime: opts.runtimeName,
    root,
    logger,
    podCidr: opts.podCidr,
  });
  return { runtime, owns: true };
}

async function serveNodeAgent(
  opts: NodeAgentOptions,
  runtime: ContainerRuntime,
  facts: NodeFacts,
  log: Logger,
  images: ImageStore | undefined,
): Promise<RunningNodeAgentGrpc> {
  const serve = opts.serve!;
  return startNodeAgentGrpc({
    nodeName: opts.nodeName,
    runtime,
    images,
    token: serve.token,
    log,
    port: serve.port,
    host: serve.host,
    addresses: [facts.internalIP],
    tls: await loadOrCreateServingCert(join(opts.root, 'grpc'), opts.nodeName, [facts.internalIP]),
  });
}

function storeImages(
  store: ImageStore,
  logger: Logger,
  insecureRegistries: readonly string[] = [],
): ImageProvider {
  return new StoreImageProvider(store, new RegistryClient({ insecureRegistries }), logger);
}
