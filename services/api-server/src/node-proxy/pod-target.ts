import type { Pod } from '@bosun/api-types';
import { BosunError, ErrorCode } from '@bosun/common';
import type { KindRegistry } from '@bosun/resource-model';
import type { Store, StoredObject } from '@bosun/store';
import { NODE_TOKEN_SECRET_PREFIX, nodeTokenRecord } from '../auth/node-token';
import { nodeAgentEndpoint, type DialableNode, type NodeAgentEndpoint } from './node-endpoint';

export interface PodTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly node: DialableNode;
}

const badRequest = (message: string) => new BosunError(ErrorCode.BadRequest, message);

/** The container a request means, with the Kubernetes messages for a missing or unknown one. */
export function pickContainer(obj: StoredObject, requested: string | null): string {
  const pod = obj as Pod;
  const name = pod.metadata.name;
  const main = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (main.length === 1) return main[0];
    let message = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
    if (ephemeral.length > 0)
      message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(message);
  }
  if (![...main, ...init, ...ephemeral].includes(requested))
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** Resolves pod, container and the node agent serving it; 400 when the pod is not bound yet. */
export async function resolvePodTarget(
  store: Store,
  registry: KindRegistry,
  namespace: string,
  name: string,
  container: string | null,
): Promise<PodTarget> {
  const podKind = registry.byResource('', 'v1', 'pods');
  const nodeKind = registry.byResource('', 'v1', 'nodes');
  if (!podKind || !nodeKind) throw new BosunError(ErrorCode.Internal, 'pods or nodes not served');
  const obj = await store.get(podKind.type, namespace, name);
  const chosen = pickContainer(obj, container);
  const nodeName = (obj as Pod).spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const node = nodeAgentEndpoint(await store.get(nodeKind.type, '', nodeName));
  return { namespace, pod: name, container: chosen, node: await withNodeToken(store, node) };
}

/**
 * The credential to present to a node agent: the node's own token, from its node-token Secret. The
 * api-server never presents its own (administrator) token: the address and certificate it dials
 * come from the Node object, which a compromised node could point at itself to collect whatever
 * it is sent — its own token is all it can get that way.
 */
export async function withNodeToken(
  store: Pick<Store, 'get'>,
  node: NodeAgentEndpoint,
): Promise<DialableNode> {
  const secrets = { group: '', resource: 'secrets', namespaced: true };
  const name = `${NODE_TOKEN_SECRET_PREFIX}${node.nodeName}`;
  const secret = await store.get(secrets, 'kube-system', name).catch(() => undefined);
  const record = secret && nodeTokenRecord(secret);
  if (!record || record.nodeName !== node.nodeName) {
    throw new BosunError(
      ErrorCode.Unavailable,
      `node "${node.nodeName}" has no node credential (Secret kube-system/${name}): its agent cannot be reached for logs, exec or image loads`,
      { context: { public: true } },
    );
  }
  return { ...node, token: record.token };
}
