import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parsers, type FieldSpec } from '@bosun/common';

const positiveMs = (raw: string): number => {
  const n = parsers.int(raw);
  if (n <= 0) throw new Error('a positive number of milliseconds');
  return n;
};

const percentage = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 0 || n > 100) throw new Error('an integer 0-100 (0 = adaptive)');
  return n;
};

const nonEmpty = (raw: string): string => {
  if (raw.trim() === '') throw new Error('a non-empty string');
  return raw.trim();
};

/** The scheduler's own config, validated at start-up with the host's fields. */
export const schedulerConfig = {
  kubeconfig: {
    env: 'BOSUN_KUBECONFIG',
    default: '.bosun/kubeconfig',
    parse: nonEmpty,
    describe: 'kubeconfig of the api-server (relative paths from the working directory)',
  } satisfies FieldSpec<string>,
  schedulerName: {
    env: 'SCHEDULER_NAME',
    default: 'default-scheduler',
    parse: nonEmpty,
    describe: 'pods whose spec.schedulerName equals this are ours',
  } satisfies FieldSpec<string>,
  identity: {
    env: 'SCHEDULER_IDENTITY',
    default: `${hostname()}_${randomBytes(4).toString('hex')}`,
    parse: nonEmpty,
    describe: 'this replica in the leader Lease',
  } satisfies FieldSpec<string>,
  leaseNamespace: {
    env: 'SCHEDULER_LEASE_NAMESPACE',
    default: 'kube-system',
    parse: nonEmpty,
    describe: 'namespace of the leader election Lease',
  } satisfies FieldSpec<string>,
  leaseName: {
    env: 'SCHEDULER_LEASE_NAME',
    default: 'bosun-scheduler',
    parse: nonEmpty,
    describe: 'name of the leader election Lease',
  } satisfies FieldSpec<string>,
  leaseDurationMs: {
    env: 'SCHEDULER_LEASE_DURATION_MS',
    default: 15_000,
    parse: positiveMs,
    describe: 'how long a lease stays valid without renewal (> renew deadline)',
  } satisfies FieldSpec<number>,
  renewDeadlineMs: {
    env: 'SCHEDULER_RENEW_DEADLINE_MS',
    default: 10_000,
    parse: positiveMs,
    describe: 'a leader that cannot renew for this long stops scheduling (> retry period)',
  } satisfies FieldSpec<number>,
  retryPeriodMs: {
    env: 'SCHEDULER_RETRY_PERIOD_MS',
    default: 2_000,
    parse: positiveMs,
    describe: 'time between lease acquire/renew attempts',
  } satisfies FieldSpec<number>,
  percentageOfNodesToScore: {
    env: 'SCHEDULER_PERCENTAGE_OF_NODES_TO_SCORE',
    default: 0,
    parse: percentage,
    describe: 'share of feasible nodes to find before scoring (0 = kube-scheduler adaptive rule)',
  } satisfies FieldSpec<number>,
};
