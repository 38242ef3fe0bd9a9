import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';

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
};
