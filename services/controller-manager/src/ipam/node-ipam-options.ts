/** Where node pod CIDRs come from (kube-controller-manager's --cluster-cidr, --node-cidr-mask-size). */
export interface NodeIpamOptions {
  readonly clusterCidr: string;
  readonly nodeMaskSize: number;
}

export const DefaultNodeIpam: NodeIpamOptions = { clusterCidr: '10.244.0.0/16', nodeMaskSize: 24 };
