import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';
import { IpPool } from './providers/local/ip-pool';

/** `.bosun/kubeconfig` in the repository root, where `npm start`'s api-server writes it. */
const DEFAULT_KUBECONFIG = join(__dirname, '..', '..', '..', '.bosun', 'kubeconfig');

const positive = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 1) throw new Error('a positive integer');
  return n;
};

const cidr = (raw: string): string => {
  try {
    return new IpPool(raw.trim()).cidr;
  } catch {
    throw new Error('a CIDR such as 172.31.255.0/24');
  }
};

const label = (raw: string): string => {
  if (!/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(raw)) {
    throw new Error('a label value (letters, digits, -_. ; at most 63 characters)');
  }
  return raw;
};

export const cloudControllerManagerConfig = {
  kubeconfig: {
    env: 'CLOUD_CONTROLLER_MANAGER_KUBECONFIG',
    default: process.env.KUBECONFIG ?? DEFAULT_KUBECONFIG,
    parse: parsers.string,
    describe: 'kubeconfig of the api-server to reconcile against',
  } satisfies FieldSpec<string>,
  cloudProvider: {
    env: 'CLOUD_CONTROLLER_MANAGER_CLOUD_PROVIDER',
    default: 'local' as const,
    parse: parsers.oneOf('local'),
    describe: 'the cloud provider to run',
  },
  clusterName: {
    env: 'CLOUD_CONTROLLER_MANAGER_CLUSTER_NAME',
    default: 'bosun',
    parse: label,
    describe: 'the cluster name the provider scopes its load balancers with',
  } satisfies FieldSpec<string>,
  loadBalancerPool: {
    env: 'CLOUD_CONTROLLER_MANAGER_LB_POOL',
    default: '172.31.255.0/24',
    parse: cidr,
    describe: 'local provider: the CIDR load-balancer addresses come from',
  } satisfies FieldSpec<string>,
  region: {
    env: 'CLOUD_CONTROLLER_MANAGER_REGION',
    default: 'local',
    parse: label,
    describe: 'local provider: topology.kubernetes.io/region of every node',
  } satisfies FieldSpec<string>,
  zone: {
    env: 'CLOUD_CONTROLLER_MANAGER_ZONE',
    default: 'local',
    parse: label,
    describe: 'local provider: topology.kubernetes.io/zone of every node',
  } satisfies FieldSpec<string>,
  instanceType: {
    env: 'CLOUD_CONTROLLER_MANAGER_INSTANCE_TYPE',
    default: 'local',
    parse: label,
    describe: 'local provider: node.kubernetes.io/instance-type of every node',
  } satisfies FieldSpec<string>,
  workers: {
    env: 'CLOUD_CONTROLLER_MANAGER_WORKERS',
    default: 2,
    parse: positive,
    describe: 'concurrent reconciles per controller',
  } satisfies FieldSpec<number>,
  nodeMonitorPeriodMs: {
    env: 'CLOUD_CONTROLLER_MANAGER_NODE_MONITOR_PERIOD_MS',
    default: 5000,
    parse: positive,
    describe: 'how often a NotReady node is checked against the cloud',
  } satisfies FieldSpec<number>,
};
