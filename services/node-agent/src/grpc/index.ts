// The node agent's NodeAgentService (kubectl logs / exec through the api-server).
export { startNodeAgentGrpc, NODE_AGENT_CERT_ANNOTATION } from './node-agent-grpc';
export type { NodeAgentGrpcOptions, RunningNodeAgentGrpc } from './node-agent-grpc';
export type { PodLookup } from './container-locator';
export { loadOrCreateServingCert, selfSignedServingCert, type ServingCert } from './serving-cert';
