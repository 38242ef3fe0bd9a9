/**
 * `@bosun/node-agent-service/testing`: a node agent in this process against a real api-server,
 * for suites that need a node (the controller-manager's orchestration test, the CLI's
 * `bosun image load`). Test code only.
 */
export { NODE_AGENT_CERT_ANNOTATION } from '../src/grpc';
export { NodeAgent, type NodeAgentOptions } from '../src/node-agent';
export {
  nodeServingToken,
  publishNodeToken,
  PODS,
  pod,
  startHarness,
  waitForPod,
  type AgentHarness,
} from '../test/agent-harness';
