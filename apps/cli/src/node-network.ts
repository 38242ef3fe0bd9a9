import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { ClusterPlan, NodeNetwork, NodePlan } from './cluster-plan';

const run = promisify(execFile);
export const IP = '/usr/sbin/ip';
export const NSENTER = '/usr/bin/nsenter';
const NETNS_DIR = '/var/run/netns';

export const netnsPath = (name: string): string => `${NETNS_DIR}/${name}`;

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run(IP, args)).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')} failed: ${(err.stderr || err.message).trim()}`);
  }
}

async function tryIp(...args: string[]): Promise<boolean> {
  return ip(...args).then(
    () => true,
    () => false,
  );
}

/** IPv4 destinations the host already routes (not the default route): a new subnet must avoid them. */
export async function hostRoutedCidrs(): Promise<string[]> {
  const out = await ip('-4', '-o', 'route', 'show', 'table', 'all');
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map((w) => (['local', 'broadcast', 'unicast'].includes(w[0]) ? w[1] : w[0]))
    .filter((d): d is string => !!d && /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(d))
    .filter((d) => !d.startsWith('127.'));
}

/**
 * Builds the node network, idempotently (it also completes a half-built one): the host bridge with
 * the gateway address, and per node a namespace, a veth into it carrying the node's address, a
 * default route to the host, IP forwarding, and routes to every other node's pod CIDR through that
 * node, so pods reach pods on other nodes by their IPs.
 */
export async function setUpNodeNetwork(plan: ClusterPlan): Promise<void> {
  const net = requireNetwork(plan);
  if (!(await tryIp('link', 'show', 'dev', net.bridge))) {
    await ip('link', 'add', 'name', net.bridge, 'type', 'bridge');
  }
  const gw = `${net.hostAddress}/${net.prefixLength}`;
  if (!(await ip('-o', 'addr', 'show', 'dev', net.bridge)).includes(` ${gw} `)) {
    await ip('addr', 'add', gw, 'dev', net.bridge);
  }
  await ip('link', 'set', 'dev', net.bridge, 'up');
  for (const node of plan.nodes) await setUpNode(net, node, plan.nodes);
}

async function setUpNode(
  net: NodeNetwork,
  node: NodePlan,
  all: readonly NodePlan[],
): Promise<void> {
  const ns = node.netns!;
  const veth = node.hostVeth!;
  if (!existsSync(netnsPath(ns))) await ip('netns', 'add', ns);
  const inNs = (...args: string[]) => ip('-n', ns, ...args);
  await inNs('link', 'set', 'dev', 'lo', 'up');
  if (!(await tryIp('-n', ns, 'link', 'show', 'dev', 'eth0'))) {
    await tryIp('link', 'del', 'dev', veth);
    // Made inside the namespace, so eth0 gets the namespace's lowest interface index: the agent
    // reports the first non-loopback IPv4 address as its InternalIP (where the api-server dials
    // it), and that must be eth0's, not the pod bridge's it creates later.
    await inNs(
      'link',
      'add',
      'eth0',
      'type',
      'veth',
      'peer',
      'name',
      veth,
      'netns',
      String(process.pid),
    );
  }
  const addr = `${node.address}/${net.prefixLength}`;
  if (!(await inNs('-o', 'addr', 'show', 'dev', 'eth0')).includes(` ${addr} `)) {
    await inNs('addr', 'add', addr, 'dev', 'eth0');
  }
  await inNs('link', 'set', 'dev', 'eth0', 'up');
  await ip('link', 'set', 'dev', veth, 'master', net.bridge);
  await ip('link', 'set', 'dev', veth, 'up');
  await inNs('route', 'replace', 'default', 'via', net.hostAddress);
  for (const other of all) {
    if (other.name !== node.name) {
      await inNs('route', 'replace', other.podCIDR, 'via', other.address);
    }
  }
  // Pods on this node answer pods on others: the node routes between its bridge and eth0.
  await inNamespace(ns, ['/bin/sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
}

/** Removes what setUpNodeNetwork built (namespaces, veths, bridge). Idempotent, never throws. */
export async function tearDownNodeNetwork(plan: ClusterPlan): Promise<string[]> {
  const net = requireNetwork(plan);
  const problems: string[] = [];
  for (const node of plan.nodes) {
    // Deleting the namespace deletes its eth0, and with it the host end of the pair.
    if (existsSync(netnsPath(node.netns!))) {
      await ip('netns', 'del', node.netns!).catch((e: Error) => problems.push(e.message));
    }
    await tryIp('link', 'del', 'dev', node.hostVeth!);
  }
  await tryIp('link', 'del', 'dev', net.bridge);
  return problems;
}

/** Namespaces of this cluster that exist on the host (e.g. left by an earlier run). */
export function existingNamespaces(plan: ClusterPlan): string[] {
  return plan.nodes
    .map((n) => n.netns)
    .filter((ns): ns is string => !!ns && existsSync(netnsPath(ns)));
}

/** The command prefix that runs a program in a node's network namespace, in the host's mounts. */
export function inNamespacePrefix(ns: string): string[] {
  // nsenter --net only (not `ip netns exec`, which unshares the mount namespace): the agent's own
  // `ip netns add` for pod namespaces and its cgroups must land in the host's mount namespace,
  // where `bosun down`, runc and the next agent find them.
  return [NSENTER, `--net=${netnsPath(ns)}`, '--'];
}

async function inNamespace(ns: string, argv: readonly string[]): Promise<void> {
  const [cmd, ...args] = [...inNamespacePrefix(ns), ...argv];
  await run(cmd, args);
}

function requireNetwork(plan: ClusterPlan): NodeNetwork {
  if (!plan.network) throw new Error('this cluster has no node network (process nodes)');
  return plan.network;
}
