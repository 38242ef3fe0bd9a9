import type { LoadBalancerStatus, NodeAddress, NodeObject, ServiceObject } from './types';

/**
 * What a cloud says about one instance, as Kubernetes' cloud-provider `InstanceMetadata` returns
 * it: the node controller copies it onto the Node when it initializes it.
 */
export interface InstanceMetadata {
  /** `<provider>://<id>`, set once as the Node's spec.providerID. */
  readonly providerID: string;
  readonly instanceType: string;
  readonly nodeAddresses: readonly NodeAddress[];
  readonly zone: string;
  readonly region: string;
  /** Extra labels the provider wants on the Node. */
  readonly additionalLabels?: Readonly<Record<string, string>>;
}

/** Kubernetes' `InstancesV2`: everything the node controllers ask a cloud about instances. */
export interface InstancesV2 {
  /** False when the instance behind the node is gone for good (the node is then deleted). */
  instanceExists(node: NodeObject): Promise<boolean>;
  /** True when the instance exists but is powered off (the node gets the shutdown taint). */
  instanceShutdown(node: NodeObject): Promise<boolean>;
  instanceMetadata(node: NodeObject): Promise<InstanceMetadata>;
}

/**
 * Kubernetes' `LoadBalancer`. `clusterName` scopes names when several clusters share a cloud;
 * `nodes` are the ready nodes a load balancer sends traffic to (node ports).
 */
export interface LoadBalancer {
  /** The load balancer's status if it exists, undefined if not. */
  getLoadBalancer(
    clusterName: string,
    service: ServiceObject,
  ): Promise<LoadBalancerStatus | undefined>;
  /** A name unique for the service's lifetime (Kubernetes: "a" + the uid without dashes). */
  getLoadBalancerName(clusterName: string, service: ServiceObject): string;
  /** Creates it or brings it up to date; returns the status to record on the Service. */
  ensureLoadBalancer(
    clusterName: string,
    service: ServiceObject,
    nodes: readonly NodeObject[],
  ): Promise<LoadBalancerStatus>;
  /** Points an existing load balancer at a new set of nodes. */
  updateLoadBalancer(
    clusterName: string,
    service: ServiceObject,
    nodes: readonly NodeObject[],
  ): Promise<void>;
  /** Deletes it; succeeds when it does not exist. */
  ensureLoadBalancerDeleted(clusterName: string, service: ServiceObject): Promise<void>;
}

/**
 * A cloud, as Kubernetes' `cloudprovider.Interface`: each part is optional, and a controller whose
 * part a provider lacks does not run (as upstream, where `LoadBalancer()` returns `ok=false`).
 */
export interface CloudProvider {
  readonly name: string;
  instancesV2(): InstancesV2 | undefined;
  loadBalancer(): LoadBalancer | undefined;
}
