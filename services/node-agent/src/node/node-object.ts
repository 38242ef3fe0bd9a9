import {
  arch,
  cpus,
  freemem,
  hostname,
  networkInterfaces,
  platform,
  release,
  totalmem,
} from 'node:os';
import { statfsSync } from 'node:fs';

/** What the node reports about itself; from the host unless the config overrides it. */
export interface NodeFacts {
  readonly name: string;
  readonly podCidr?: string;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: string;
  readonly ephemeralStorage: string;
  readonly internalIP: string;
  readonly hostname: string;
  readonly runtimeVersion: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Port of the agent's NodeAgentService (logs/exec); published as kubeletEndpoint. */
  readonly kubeletPort?: number;
  /** Node annotations the agent owns (e.g. the serving certificate callers pin). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Taints the Node is created with (the kubelet's `--register-with-taints`); never re-applied. */
  readonly registerTaints?: readonly NodeTaint[];
}

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * What the kubelet registers with under `--cloud-provider=external`: the cloud-controller-manager
 * initializes the Node (providerID, topology labels) and then removes it.
 */
export const UNINITIALIZED_TAINT: NodeTaint = {
  key: 'node.cloudprovider.kubernetes.io/uninitialized',
  value: 'true',
  effect: 'NoSchedule',
};

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

export function goArch(): string {
  return GO_ARCH[arch()] ?? arch();
}

function firstIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function diskBytes(path: string): number {
  try {
    const s = statfsSync(path);
    return s.blocks * s.bsize;
  } catch {
    return 0;
  }
}

/** Capacity and identity of this host, in Kubernetes quantities. */
export function hostFacts(
  name: string,
  root: string,
  runtimeVersion: string,
  podCidr?: string,
): NodeFacts {
  return {
    name,
    podCidr,
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: '110',
    ephemeralStorage: `${Math.floor(diskBytes(root) / 1024)}Ki`,
    internalIP: firstIPv4(),
    hostname: hostname(),
    runtimeVersion,
  };
}

/** Memory pressure as the kubelet's default eviction threshold sees it (available < 100Mi). */
export function memoryPressure(): boolean {
  return freemem() < 100 * 1024 * 1024;
}

/** Pressure the agent observed (eviction manager); absent fields fall back to the host's view. */
export interface NodePressure {
  readonly memory?: boolean;
  readonly disk?: boolean;
}

export function nodeConditions(
  now: string,
  transitions: Map<string, string>,
  pressure: NodePressure = {},
) {
  const cond = (type: string, ok: boolean, reason: string, message: string) => {
    const status = ok ? (type === 'Ready' ? 'True' : 'False') : type === 'Ready' ? 'False' : 'True';
    const key = `${type}=${status}`;
    if (!transitions.has(key)) {
      for (const k of [...transitions.keys()]) if (k.startsWith(`${type}=`)) transitions.delete(k);
      transitions.set(key, now);
    }
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: transitions.get(key),
    };
  };
  const mem = !(pressure.memory ?? memoryPressure());
  const disk = !pressure.disk;
  return [
    cond(
      'MemoryPressure',
      mem,
      mem ? 'KubeletHasSufficientMemory' : 'KubeletHasInsufficientMemory',
      mem ? 'kubelet has sufficient memory available' : 'kubelet has insufficient memory available',
    ),
    cond(
      'DiskPressure',
      disk,
      disk ? 'KubeletHasNoDiskPressure' : 'KubeletHasDiskPressure',
      disk ? 'kubelet has no disk pressure' : 'kubelet has disk pressure',
    ),
    cond('PIDPressure', true, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(facts: NodeFacts, conditions: unknown[]): Record<string, unknown> {
  const resources = {
    cpu: facts.cpu,
    memory: facts.memory,
    pods: facts.pods,
    'ephemeral-storage': facts.ephemeralStorage,
  };
  return {
    capacity: resources,
    allocatable: resources,
    conditions,
    addresses: [
      { type: 'InternalIP', address: facts.internalIP },
      { type: 'Hostname', address: facts.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: release(),
      osImage: platform(),
      containerRuntimeVersion: facts.runtimeVersion,
      kubeletVersion: 'v1.32.0-bosun',
      kubeProxyVersion: 'v1.32.0-bosun',
      operatingSystem: platform(),
      architecture: goArch(),
    },
  };
}

export function nodeObject(facts: NodeFacts, conditions: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.name,
      labels: {
        'kubernetes.io/hostname': facts.name,
        'kubernetes.io/os': platform(),
        'kubernetes.io/arch': goArch(),
        'beta.kubernetes.io/os': platform(),
        'beta.kubernetes.io/arch': goArch(),
        ...facts.labels,
      },
      ...(facts.annotations ? { annotations: { ...facts.annotations } } : {}),
    },
    spec: {
      ...(facts.podCidr ? { podCIDR: facts.podCidr, podCIDRs: [facts.podCidr] } : {}),
      ...(facts.registerTaints?.length
        ? { taints: facts.registerTaints.map((t) => ({ ...t })) }
        : {}),
    },
    status: nodeStatus(facts, conditions),
  };
}
