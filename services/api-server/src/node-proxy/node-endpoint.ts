import type { Node } from '@bosun/api-types';
import { BosunError, ErrorCode } from '@bosun/common';
import type { StoredObject } from '@bosun/store';

/**
 * Annotation in which a node agent publishes its serving certificate (PEM). Same value as the
 * node agent's NODE_AGENT_CERT_ANNOTATION (services cannot import each other).
 */
export const NODE_AGENT_CERT_ANNOTATION = 'bosun.dev/node-agent-serving-cert';

export interface NodeAgentEndpoint {
  readonly nodeName: string;
  readonly address: string;
  readonly port: number;
  readonly certPem: string;
}

/** An endpoint with the credential the api-server presents there: that node's own token. */
export interface DialableNode extends NodeAgentEndpoint {
  readonly token: string;
}

const ADDRESS_PREFERENCE = ['InternalIP', 'ExternalIP', 'Hostname'];

/** Where and how to reach a node's agent, from its Node object (as the apiserver's kubelet client). */
export function nodeAgentEndpoint(obj: StoredObject): NodeAgentEndpoint {
  const node = obj as Node;
  const name = node.metadata.name;
  const addresses = node.status?.addresses ?? [];
  const address = ADDRESS_PREFERENCE.map((t) => addresses.find((a) => a.type === t)).find(
    (a) => a !== undefined,
  )?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const certPem = node.metadata.annotations?.[NODE_AGENT_CERT_ANNOTATION];
  if (!address || !port || !certPem) {
    const missing = !address ? 'an address' : !port ? 'a kubelet port' : 'a serving certificate';
    throw new BosunError(
      ErrorCode.Unavailable,
      `node "${name}" does not publish ${missing} for its agent`,
      { context: { public: true } },
    );
  }
  return { nodeName: name ?? '', address, port, certPem };
}
