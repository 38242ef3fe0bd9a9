import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';
import { parseCidr } from './ipam/cidr-set';
import { DefaultNodeIpam } from './ipam/node-ipam-options';

/** `.bosun/kubeconfig` in the repository root, where `npm start`'s api-server writes it. */
const DEFAULT_KUBECONFIG = join(__dirname, '..', '..', '..', '.bosun', 'kubeconfig');

const positive = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 1) throw new Error('a positive integer');
  return n;
};

export const controllerManagerConfig = {
  kubeconfig: {
    env: 'CONTROLLER_MANAGER_KUBECONFIG',
    default: process.env.KUBECONFIG ?? DEFAULT_KUBECONFIG,
    parse: parsers.string,
    describe: 'kubeconfig of the api-server to reconcile against',
  } satisfies FieldSpec<string>,
  workers: {
    env: 'CONTROLLER_MANAGER_WORKERS',
    default: 4,
    parse: positive,
    describe: 'concurrent reconciles per controller',
  } satisfies FieldSpec<number>,
  nodeMonitorGracePeriodSeconds: {
    env: 'CONTROLLER_MANAGER_NODE_MONITOR_GRACE_PERIOD',
    default: 40,
    parse: positive,
    describe:
      "seconds a node may stay silent before it goes Ready=Unknown (kube-controller-manager's --node-monitor-grace-period)",
  } satisfies FieldSpec<number>,

  clusterCidr: {
    env: 'CONTROLLER_MANAGER_CLUSTER_CIDR',
    default: DefaultNodeIpam.clusterCidr,
    parse: parseCidr,
    describe:
      "the range node pod CIDRs are allocated from (kube-controller-manager's --cluster-cidr)",
  } satisfies FieldSpec<string>,
  nodeCidrMaskSize: {
    env: 'CONTROLLER_MANAGER_NODE_CIDR_MASK_SIZE',
    default: DefaultNodeIpam.nodeMaskSize,
    parse: positive,
    describe:
      "the prefix length of each node's pod CIDR (kube-controller-manager's --node-cidr-mask-size)",
  } satisfies FieldSpec<number>,
};
