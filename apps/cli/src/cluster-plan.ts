import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** How the node agents of a local cluster are isolated from each other. */
export const Isolation = {
  /** Each node agent in its own network namespace, a "host" with its own address (root + runc). */
  Netns: 'netns',
  /** Node agents are processes on the host's loopback, told apart by their ports. */
  None: 'none',
} as const;
export type Isolation = (typeof Isolation)[keyof typeof Isolation];

export type NodeRuntime = 'runc' | 'process';

/** One node agent: its identity, where it lives and how it is reached. */
export interface NodePlan {
  readonly name: string;
  /** 1-based. */
  readonly index: number;
  /** The agent's state directory (runtime state, images, its kubeconfig). */
  readonly root: string;
  /** The node's own address: in its namespace (netns), else the host's (none). */
  readonly address: string;
  readonly podCIDR: string;
  /** The node's network namespace (`ip netns`), when isolated. */
  readonly netns?: string;
  /** The host end of the veth into the node's namespace (on the cluster bridge). */
  readonly hostVeth?: string;
  /** Port of the agent's NodeAgentService (logs/exec). */
  readonly grpcPort: number;
  /** The agent's health port (only reachable inside its namespace when isolated). */
  readonly healthPort: number;
}

/** The cluster's node network: one host bridge, one /24, one namespace per node. */
export interface NodeNetwork {
  readonly bridge: string;
  /** The per-cluster /24, e.g. `10.163.42.0/24`. */
  readonly subnet: string;
  /** The bridge's address: the nodes' gateway and where they reach the api-server. */
  readonly hostAddress: string;
  readonly prefixLength: 24;
}

export interface ClusterPlan {
  /** Short hash of BOSUN_HOME; every host-global name carries it, so clusters never collide. */
  readonly id: string;
  readonly runtime: NodeRuntime;
  readonly isolation: Isolation;
  /** Where the node agents reach the api-server (the bridge address, or 127.0.0.1). */
  readonly hostAddress: string;
  readonly network?: NodeNetwork;
  readonly nodes: readonly NodePlan[];
}

/** The largest cluster `bosun up` starts on one machine (node addresses .11 to .250 of a /24). */
export const MAX_NODES = 240;

/** The 8 hex characters that name a cluster's host-global objects (bridge, netns, veths). */
export function clusterId(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 8);
}

/**
 * The /24 a cluster's nodes live on: `10.<128-191>.<0-255>.0/24` chosen by the cluster id (clear of
 * Kubernetes' service range 10.96.0.0/12 and the pod range 10.244.0.0/16), skipping any subnet that
 * overlaps one the host already routes. The caller persists the choice, so it is stable.
 */
export function chooseSubnet(id: string, inUse: readonly string[]): string {
  const slots = 64 * 256;
  const start = parseInt(id, 16) % slots;
  for (let k = 0; k < slots; k++) {
    const slot = (start + k) % slots;
    const subnet = `10.${128 + Math.floor(slot / 256)}.${slot % 256}.0/24`;
    if (!inUse.some((cidr) => overlaps(cidr, subnet))) return subnet;
  }
  throw new Error('no free /24 left in 10.128.0.0/10 for the node network');
}

export interface PlanInput {
  readonly home: string;
  readonly nodes: number;
  readonly runtime: NodeRuntime;
  readonly isolation: Isolation;
  /** Required with netns isolation: the persisted (or newly chosen) subnet. */
  readonly subnet?: string;
  /** Process nodes: their [grpc, health] ports, one pair per node (free ports). */
  readonly ports?: readonly (readonly [number, number])[];
}

/** Every name, address and port of the nodes, from BOSUN_HOME and the node count. Pure. */
export function planCluster(input: PlanInput): ClusterPlan {
  const { home, nodes, runtime, isolation } = input;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new Error(`the node count must be 1-${MAX_NODES}, not ${nodes}`);
  }
  const id = clusterId(home);
  const network = isolation === Isolation.Netns ? nodeNetwork(id, input.subnet) : undefined;
  const list: NodePlan[] = [];
  for (let i = 1; i <= nodes; i++) {
    const name = `node-${i}`;
    const common = { name, index: i, root: join(home, 'nodes', name), podCIDR: podCidr(i) };
    if (network) {
      list.push({
        ...common,
        address: `${network.subnet.split('.').slice(0, 3).join('.')}.${10 + i}`,
        netns: `bosun-${id}-${name}`,
        hostVeth: `bsn${id.slice(0, 6)}-${i}`,
        grpcPort: 10250,
        healthPort: 10248,
      });
    } else {
      const ports = input.ports?.[i - 1];
      if (!ports) throw new Error(`no ports for ${name}: process nodes need a pair each`);
      list.push({ ...common, address: '127.0.0.1', grpcPort: ports[0], healthPort: ports[1] });
    }
  }
  return {
    id,
    runtime,
    isolation,
    hostAddress: network?.hostAddress ?? '127.0.0.1',
    network,
    nodes: list,
  };
}

/** Node i's pods: 10.244.<i>.0/24, as Kubernetes' default cluster CIDR hands them out. */
export function podCidr(index: number): string {
  return `10.244.${index}.0/24`;
}

function nodeNetwork(id: string, subnet: string | undefined): NodeNetwork {
  if (!subnet || !/^10\.\d{1,3}\.\d{1,3}\.0\/24$/.test(subnet)) {
    throw new Error(`the node network needs a 10.x.y.0/24 subnet, not ${JSON.stringify(subnet)}`);
  }
  const base = subnet.split('.').slice(0, 3).join('.');
  return { bridge: `bsn-${id}`, subnet, hostAddress: `${base}.1`, prefixLength: 24 };
}

/** Whether two IPv4 CIDRs share any address. */
export function overlaps(a: string, b: string): boolean {
  const [na, la] = parseCidr(a);
  const [nb, lb] = parseCidr(b);
  const len = Math.min(la, lb);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (na & mask) >>> 0 === (nb & mask) >>> 0;
}

function parseCidr(cidr: string): [number, number] {
  const [ip, len = '32'] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  const n = parts.reduce((acc, p) => ((acc << 8) | (p & 255)) >>> 0, 0);
  return [n >>> 0, Number(len)];
}
