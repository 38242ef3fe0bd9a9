import type { KubeObject } from '@bosun/controller-kit';

/** A node address as `status.addresses[]` carries it. */
export interface NodeAddress {
  readonly type: 'Hostname' | 'InternalIP' | 'ExternalIP' | 'InternalDNS' | 'ExternalDNS';
  readonly address: string;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly timeAdded?: string;
}

export interface NodeObject extends KubeObject {
  spec?: { providerID?: string; taints?: Taint[]; [k: string]: unknown };
  status?: {
    addresses?: NodeAddress[];
    conditions?: Array<{ type: string; status: string; [k: string]: unknown }>;
    [k: string]: unknown;
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: string;
  readonly nodePort?: number;
}

export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
  readonly ipMode?: 'VIP' | 'Proxy';
}

/** `status.loadBalancer` of a Service. */
export interface LoadBalancerStatus {
  readonly ingress?: readonly LoadBalancerIngress[];
}

export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    ports?: ServicePort[];
    loadBalancerIP?: string;
    loadBalancerClass?: string;
    [k: string]: unknown;
  };
  status?: { loadBalancer?: LoadBalancerStatus; [k: string]: unknown };
}
