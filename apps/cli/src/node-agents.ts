import { Resources, type Node, type Secret } from '@bosun/api-types';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeKubeconfig, type ApiClient } from '@bosun/api-client';
import { ErrorCode } from '@bosun/common';
import { Isolation, type ClusterPlan, type NodePlan } from './cluster-plan';
import { inNamespacePrefix } from './node-network';
import { REPO_ROOT } from './paths';
import type { ServiceSpec } from './services';

export const NODE_AGENT_ENTRY = join(REPO_ROOT, 'services', 'node-agent', 'dist', 'main.js');

/** `<node root>/kubeconfig`: the agent's own credentials (mode 0600). */
export const nodeKubeconfigPath = (node: NodePlan): string => join(node.root, 'kubeconfig');

/** How one node agent is launched: in its namespace (netns) or on loopback with its own ports. */
export function nodeAgentSpec(plan: ClusterPlan, node: NodePlan): ServiceSpec {
  return {
    name: node.name,
    entry: NODE_AGENT_ENTRY,
    healthPort: node.healthPort,
    launcher: node.netns ? inNamespacePrefix(node.netns) : undefined,
    env: {
      NODE_NAME: node.name,
      NODE_AGENT_ROOT: node.root,
      NODE_AGENT_KUBECONFIG: nodeKubeconfigPath(node),
      NODE_AGENT_RUNTIME: plan.runtime,
      NODE_AGENT_POD_CIDR: node.podCIDR,
      NODE_AGENT_GRPC_PORT: String(node.grpcPort),
      NODE_AGENT_HTTP_PORT: String(node.healthPort),
      NODE_AGENT_HTTP_HOST: plan.isolation === Isolation.Netns ? '0.0.0.0' : '127.0.0.1',
      // Its InternalIP is its own address in its namespace, not whichever interface comes first.
      ...(node.netns ? { NODE_AGENT_NODE_IP: node.address } : {}),
      // The cloud-controller-manager initializes each Node (providerID, topology labels).
      NODE_AGENT_CLOUD_PROVIDER: 'external',
      // A registry on the bridge address (a local one for the cluster) is reached over http.
      NODE_AGENT_INSECURE_REGISTRIES: [
        plan.network?.subnet,
        process.env.NODE_AGENT_INSECURE_REGISTRIES,
      ]
        .filter((r) => !!r)
        .join(','),
    },
  };
}

/**
 * Writes the node's kubeconfig: the api-server at the address the node reaches it on (the bridge
 * address from a namespace), the cluster CA, and the node's token.
 */
export async function writeNodeKubeconfig(
  node: NodePlan,
  server: string,
  caPem: string | undefined,
  token: string,
): Promise<void> {
  await mkdir(node.root, { recursive: true, mode: 0o700 });
  await writeKubeconfig(nodeKubeconfigPath(node), {
    server,
    caPem,
    token,
    user: `system:node:${node.name}`,
  });
}

const SECRETS = { ...Resources.secrets, namespace: 'kube-system' };
export const NODE_TOKEN_TYPE = 'bosun.dev/node-token';

/**
 * The node's own identity (`system:node:<node>`): the Secret `kube-system/node-token-<node>` of
 * type `bosun.dev/node-token`, created with the admin client on the first start and reused after,
 * so a restarted cluster keeps its nodes' credentials.
 */
export async function nodeToken(client: ApiClient, nodeName: string): Promise<string> {
  const name = `node-token-${nodeName}`;
  try {
    const existing = await client.get<Secret>(SECRETS, name);
    const token = existing.data?.token && Buffer.from(existing.data.token, 'base64').toString();
    if (existing['type'] === NODE_TOKEN_TYPE && token) return token;
    await client.delete(SECRETS, name);
  } catch (e) {
    if ((e as { code?: string }).code !== ErrorCode.NotFound) throw e;
  }
  const token = randomBytes(32).toString('base64url');
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  await client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: NODE_TOKEN_TYPE,
    metadata: { name, namespace: 'kube-system', labels: { 'bosun.dev/node': nodeName } },
    data: { 'node-name': b64(nodeName), token: b64(token) },
  });
  return token;
}

export interface NodeState {
  readonly ready: boolean;
  /** The Ready condition's last heartbeat. */
  readonly heartbeat?: string;
}

/** The Node object's Ready condition (not found: not ready). */
export async function nodeState(client: ApiClient, name: string): Promise<NodeState> {
  try {
    const node = await client.get<Node>(Resources.nodes, name);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return { ready: ready?.status === 'True', heartbeat: ready?.lastHeartbeatTime };
  } catch {
    return { ready: false };
  }
}

/**
 * Whether the agent started at `since` has reported Ready itself: a Node left Ready by the last
 * run (its heartbeat older than this start) does not count.
 */
export function readySince(state: NodeState, since: Date): boolean {
  if (!state.ready || !state.heartbeat) return false;
  return Date.parse(state.heartbeat) >= Math.floor(since.getTime() / 1000) * 1000;
}
