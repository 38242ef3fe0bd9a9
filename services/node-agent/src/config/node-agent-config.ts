import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';
import { parseInsecureRegistries } from '@bosun/image';
import type { RuntimeName } from '@bosun/runtime';
import {
  DEFAULT_EVICTION_HARD,
  parseEvictionThresholds,
  type EvictionThreshold,
} from '../disk/eviction-thresholds';

const runtimeName = (raw: string): RuntimeName | '' => {
  if (raw === '' || raw === 'runc' || raw === 'process' || raw === 'fake') return raw;
  throw new Error('one of runc, process, fake (or empty: choose by host)');
};

const optional = (raw: string): string => raw.trim();

/** The node agent's config, validated at start-up with the service-host fields. */
export const nodeAgentConfig = {
  nodeName: {
    env: 'NODE_NAME',
    default: hostname().toLowerCase(),
    parse: parsers.string,
    describe: 'name of the Node object this agent registers',
  } satisfies FieldSpec<string>,
  kubeconfig: {
    env: 'NODE_AGENT_KUBECONFIG',
    default: '',
    parse: optional,
    describe: 'kubeconfig of the api-server (empty: join with server + bootstrap token)',
  } satisfies FieldSpec<string>,
  apiServer: {
    env: 'NODE_AGENT_API_SERVER',
    default: '',
    parse: optional,
    describe: 'api-server URL, used with the bootstrap token when no kubeconfig is given',
  } satisfies FieldSpec<string>,
  bootstrapToken: {
    env: 'NODE_AGENT_BOOTSTRAP_TOKEN',
    default: '',
    parse: optional,
    describe: 'bearer token to join with (written into <root>/kubeconfig, mode 0600)',
  } satisfies FieldSpec<string>,
  caFile: {
    env: 'NODE_AGENT_CA_FILE',
    default: '',
    parse: optional,
    describe: 'PEM file of the CA that signed the api-server certificate (join)',
  } satisfies FieldSpec<string>,
  root: {
    env: 'NODE_AGENT_ROOT',
    default: join('/var/lib/bosun', 'node-agent'),
    parse: parsers.string,
    describe: 'state directory: runtime state, images, pod volumes, credentials',
  } satisfies FieldSpec<string>,
  runtime: {
    env: 'NODE_AGENT_RUNTIME',
    default: '' as RuntimeName | '',
    parse: runtimeName,
    describe: 'container runtime: runc, process or fake (empty: runc when root with runc)',
  } satisfies FieldSpec<RuntimeName | ''>,
  podCidr: {
    env: 'NODE_AGENT_POD_CIDR',
    default: '10.244.0.0/24',
    parse: parsers.string,
    describe: "the node's pod CIDR (runc hands pod IPs out of it)",
  } satisfies FieldSpec<string>,
  nodeIP: {
    env: 'NODE_AGENT_NODE_IP',
    default: '',
    parse: (raw: string): string => {
      const ip = raw.trim();
      if (ip !== '' && isIP(ip) === 0) throw new Error('an IPv4 or IPv6 address');
      return ip;
    },
    describe:
      "the Node's InternalIP (the kubelet's --node-ip); empty: the host's first non-loopback IPv4",
  } satisfies FieldSpec<string>,
  cloudProvider: {
    env: 'NODE_AGENT_CLOUD_PROVIDER',
    default: '' as '' | 'external',
    parse: (raw: string): '' | 'external' => {
      if (raw === '' || raw === 'external') return raw;
      throw new Error('"external" or empty');
    },
    describe:
      "external: register with the node.cloudprovider.kubernetes.io/uninitialized taint for the cloud-controller-manager to initialize the Node (the kubelet's --cloud-provider=external)",
  } satisfies FieldSpec<'' | 'external'>,
  insecureRegistries: {
    env: 'NODE_AGENT_INSECURE_REGISTRIES',
    default: [] as string[],
    parse: parseInsecureRegistries,
    describe:
      "comma-separated registries pulled from over plain http besides loopback: host[:port] or CIDR (as Docker's insecure-registries)",
  } satisfies FieldSpec<string[]>,
  grpcPort: {
    env: 'NODE_AGENT_GRPC_PORT',
    default: 10250,
    parse: (raw: string): number => {
      const n = parsers.int(raw);
      if (n < 0 || n > 65535) throw new Error('a port number 0-65535');
      return n;
    },
    describe:
      'TLS port of the NodeAgentService (kubectl logs/exec via the api-server; 0 = any free port)',
  } satisfies FieldSpec<number>,
  evictionHard: {
    env: 'NODE_AGENT_EVICTION_HARD',
    default: parseEvictionThresholds(DEFAULT_EVICTION_HARD),
    parse: parseEvictionThresholds,
    describe: `hard eviction thresholds, as the kubelet's --eviction-hard (default ${DEFAULT_EVICTION_HARD}; empty = off)`,
  } satisfies FieldSpec<EvictionThreshold[]>,
  evictionPressureTransitionSeconds: {
    env: 'NODE_AGENT_EVICTION_PRESSURE_TRANSITION_PERIOD',
    default: 300,
    parse: (raw: string): number => {
      const n = parsers.int(raw);
      if (n < 0) throw new Error('seconds, 0 or more');
      return n;
    },
    describe: 'seconds DiskPressure stays True after the thresholds stop being met (kubelet: 5m)',
  } satisfies FieldSpec<number>,
};
