import { BosunError, ErrorCode } from '@bosun/common';
import type {
  CloudProvider,
  InstanceMetadata,
  InstancesV2,
  LoadBalancer,
} from '../../cloud-provider/cloud-provider';
import type { LoadBalancerStatus, NodeObject, ServiceObject } from '../../cloud-provider/types';
import { IpPool } from './ip-pool';

export const LOCAL_PROVIDER = 'local';

export interface LocalProviderOptions {
  /** Where load balancer addresses come from, e.g. 172.31.255.0/24. */
  readonly pool: string;
  readonly region: string;
  readonly zone: string;
  readonly instanceType: string;
  /**
   * The Services as the cluster records them (the informer cache). Addresses already in their
   * `status.loadBalancer` are never handed to anyone else, and a Service gets its own recorded
   * address back, so allocations survive a restart or a change of leader without a database.
   */
  readonly services?: () => Iterable<ServiceObject>;
}

/** Kubernetes' GetLoadBalancerName: "a" + the uid without dashes, at most 32 characters. */
export function loadBalancerName(service: ServiceObject): string {
  const uid = service.metadata.uid ?? `${service.metadata.namespace}/${service.metadata.name}`;
  return `a${uid.replace(/[^a-zA-Z0-9]/g, '')}`.slice(0, 32);
}

/** The addresses recorded in a Service's status.loadBalancer. */
export function recordedIps(service: ServiceObject): string[] {
  return (service.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}

/**
 * The built-in `local` cloud: every node is its own instance (`local://<node>`), which always
 * exists and never shuts down; a load balancer is one address from a pool per Service. Nothing
 * outside the cluster is programmed: the proxy on each node is what answers on the address.
 */
export class LocalCloudProvider implements CloudProvider {
  readonly name = LOCAL_PROVIDER;
  private readonly instances: LocalInstances;
  private readonly balancers: LocalLoadBalancers;

  constructor(opts: LocalProviderOptions) {
    this.instances = new LocalInstances(opts);
    this.balancers = new LocalLoadBalancers(new IpPool(opts.pool), opts.services ?? (() => []));
  }

  instancesV2(): InstancesV2 {
    return this.instances;
  }

  loadBalancer(): LocalLoadBalancers {
    return this.balancers;
  }
}

class LocalInstances implements InstancesV2 {
  constructor(private readonly opts: LocalProviderOptions) {}

  async instanceExists(): Promise<boolean> {
    return true;
  }

  async instanceShutdown(): Promise<boolean> {
    return false;
  }

  async instanceMetadata(node: NodeObject): Promise<InstanceMetadata> {
    return {
      providerID: `${LOCAL_PROVIDER}://${node.metadata.name}`,
      instanceType: this.opts.instanceType,
      // The node agent reports its own addresses; a local "cloud" knows no better.
      nodeAddresses: node.status?.addresses ?? [],
      zone: this.opts.zone,
      region: this.opts.region,
    };
  }
}

export class LocalLoadBalancers implements LoadBalancer {
  /** Load balancer name → address, for what this term of leadership has ensured. */
  private readonly allocated = new Map<string, string>();

  constructor(
    readonly pool: IpPool,
    private readonly services: () => Iterable<ServiceObject>,
  ) {}

  getLoadBalancerName(_cluster: string, service: ServiceObject): string {
    return loadBalancerName(service);
  }

  async getLoadBalancer(
    _cluster: string,
    service: ServiceObject,
  ): Promise<LoadBalancerStatus | undefined> {
    const ip = this.allocated.get(loadBalancerName(service)) ?? this.adoptable(service);
    return ip === undefined ? undefined : statusOf(ip);
  }

  async ensureLoadBalancer(
    _cluster: string,
    service: ServiceObject,
    _nodes: readonly NodeObject[] = [],
  ): Promise<LoadBalancerStatus> {
    const name = loadBalancerName(service);
    const requested = this.requested(service);
    const current = this.allocated.get(name);
    if (current !== undefined && (requested === undefined || requested === current)) {
      return statusOf(current);
    }
    if (requested !== undefined && this.taken(service).has(requested)) {
      throw new BosunError(
        ErrorCode.Invalid,
        `spec.loadBalancerIP ${requested} is already used by another load balancer`,
      );
    }
    this.allocated.delete(name);
    const ip = requested ?? this.adoptable(service) ?? this.pool.allocate(this.taken(service));
    this.allocated.set(name, ip);
    return statusOf(ip);
  }

  /** The local provider has nothing to reprogram when nodes change. */
  async updateLoadBalancer(): Promise<void> {}

  async ensureLoadBalancerDeleted(_cluster: string, service: ServiceObject): Promise<void> {
    this.allocated.delete(loadBalancerName(service));
  }

  /** Addresses held by load balancers, as far as this provider knows them. */
  allocations(): ReadonlyMap<string, string> {
    return this.allocated;
  }

  /** The address spec.loadBalancerIP asks for, checked against the pool. */
  private requested(service: ServiceObject): string | undefined {
    const raw = service.spec?.loadBalancerIP;
    if (!raw) return undefined;
    const ip = this.pool.normalize(raw);
    if (ip === undefined || !this.pool.contains(ip)) {
      throw new BosunError(
        ErrorCode.Invalid,
        `spec.loadBalancerIP ${raw} is not in the load-balancer pool ${this.pool.cidr}`,
      );
    }
    return ip;
  }

  /** The service's own recorded address, when it is in the pool and nobody holds it now. */
  private adoptable(service: ServiceObject): string | undefined {
    const held = new Set(this.allocated.values());
    for (const raw of recordedIps(service)) {
      const ip = this.pool.normalize(raw);
      if (ip !== undefined && this.pool.contains(ip) && !held.has(ip)) return ip;
    }
    return undefined;
  }

  /** Every address another load balancer holds or another Service records. */
  private taken(service: ServiceObject): Set<string> {
    const name = loadBalancerName(service);
    const taken = new Set<string>();
    for (const [other, ip] of this.allocated) if (other !== name) taken.add(ip);
    for (const other of this.services()) {
      if (loadBalancerName(other) === name) continue;
      for (const raw of recordedIps(other)) {
        const ip = this.pool.normalize(raw);
        if (ip !== undefined) taken.add(ip);
      }
    }
    return taken;
  }
}

const statusOf = (ip: string): LoadBalancerStatus => ({ ingress: [{ ip }] });
