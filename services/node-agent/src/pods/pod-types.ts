/**
 * The core/v1 kinds the node agent reads and writes are the one model's (@bosun/api-types); this
 * file adds the names the agent's modules use and the enumerations they compare against.
 */
export type {
  ConfigMap,
  Container,
  ContainerPort,
  ContainerState,
  ContainerStatus,
  EnvVar,
  ExecAction,
  HTTPGetAction as HttpGetAction,
  KeyToPath,
  LifecycleHandler as Handler,
  ObjectMeta,
  Pod,
  PodCondition,
  PodSpec,
  PodStatus,
  Probe,
  Secret,
  TCPSocketAction as TcpSocketAction,
  Volume,
  VolumeMount,
} from '@bosun/api-types';

export const RestartPolicy = {
  Always: 'Always',
  OnFailure: 'OnFailure',
  Never: 'Never',
} as const;
export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];

export const PodPhase = {
  Pending: 'Pending',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Unknown: 'Unknown',
} as const;
export type PodPhase = (typeof PodPhase)[keyof typeof PodPhase];
