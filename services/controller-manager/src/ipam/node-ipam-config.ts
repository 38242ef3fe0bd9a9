import { BosunError, ErrorCode } from '@bosun/common';
import { CidrSet } from './cidr-set';
import type { NodeIpamOptions } from './node-ipam-options';

/**
 * The two IPAM settings checked together at start-up: each parses alone, but only together do
 * they say whether node ranges can be cut from the cluster CIDR. A wrong pair stops start-up
 * naming both variables.
 */
export function nodeIpamConfig(config: {
  readonly clusterCidr: string;
  readonly nodeCidrMaskSize: number;
}): NodeIpamOptions {
  try {
    new CidrSet(config.clusterCidr, config.nodeCidrMaskSize);
  } catch (e) {
    throw new BosunError(
      ErrorCode.Invalid,
      `CONTROLLER_MANAGER_CLUSTER_CIDR=${config.clusterCidr} with CONTROLLER_MANAGER_NODE_CIDR_MASK_SIZE=${config.nodeCidrMaskSize} is not valid: ${e instanceof Error ? e.message : String(e)}`,
      { context: { ...config }, cause: e },
    );
  }
  return { clusterCidr: config.clusterCidr, nodeMaskSize: config.nodeCidrMaskSize };
}
