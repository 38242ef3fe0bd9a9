import type { IPodCondition } from 'kubernetes-models/v1/PodCondition';
import type { IPodStatus } from 'kubernetes-models/v1/PodStatus';
import type { IContainerStatus } from 'kubernetes-models/v1/ContainerStatus';
import type { Served } from './kube-object';
import type { Time } from './meta-v1';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { INode } from 'kubernetes-models/v1/Node';
import type { IService } from 'kubernetes-models/v1/Service';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IEvent } from 'kubernetes-models/v1/Event';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IEndpoints } from 'kubernetes-models/v1/Endpoints';

/** core/v1 kinds, from `kubernetes-models`; a kind whose spec validation requires has it always. */
export type Pod = Omit<Served<IPod, 'spec'>, 'status'> & { status?: PodStatus };
export type Node = Served<INode>;
export type Service = Served<IService, 'spec'>;
export type Namespace = Served<INamespace>;
export type Event = Served<IEvent>;
export type ConfigMap = Served<IConfigMap>;
export type Secret = Served<ISecret>;
export type Endpoints = Served<IEndpoints>;

export type { IPodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec';

/**
 * A pod condition as Kubernetes serializes it: a zero metav1.Time goes on the wire as null
 * (`lastProbeTime: null`), which the generated model does not say.
 */
export type PodCondition = Omit<IPodCondition, 'lastProbeTime'> & { lastProbeTime?: Time | null };
/** A container's status as served: state and lastState are Go struct values, always present. */
export type ContainerStatus = IContainerStatus &
  Required<Pick<IContainerStatus, 'state' | 'lastState'>>;
export type PodStatus = Omit<
  IPodStatus,
  'conditions' | 'containerStatuses' | 'initContainerStatuses' | 'ephemeralContainerStatuses'
> & {
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  ephemeralContainerStatuses?: ContainerStatus[];
};

export type { IPodTemplateSpec as PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
export type { IContainer as Container } from 'kubernetes-models/v1/Container';
export type { IContainerPort as ContainerPort } from 'kubernetes-models/v1/ContainerPort';
export type { IContainerState as ContainerState } from 'kubernetes-models/v1/ContainerState';
export type { IEnvVar as EnvVar } from 'kubernetes-models/v1/EnvVar';
export type { IProbe as Probe } from 'kubernetes-models/v1/Probe';
export type { IVolume as Volume } from 'kubernetes-models/v1/Volume';
export type { IVolumeMount as VolumeMount } from 'kubernetes-models/v1/VolumeMount';
export type { IResourceRequirements as ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
export type { INodeSpec as NodeSpec } from 'kubernetes-models/v1/NodeSpec';
export type { INodeStatus as NodeStatus } from 'kubernetes-models/v1/NodeStatus';
export type { INodeCondition as NodeCondition } from 'kubernetes-models/v1/NodeCondition';
export type { INodeAddress as NodeAddress } from 'kubernetes-models/v1/NodeAddress';
export type { ITaint as Taint } from 'kubernetes-models/v1/Taint';
export type { IToleration as Toleration } from 'kubernetes-models/v1/Toleration';
export type { IAffinity as Affinity } from 'kubernetes-models/v1/Affinity';
export type { INodeSelectorTerm as NodeSelectorTerm } from 'kubernetes-models/v1/NodeSelectorTerm';
export type { INodeSelectorRequirement as NodeSelectorRequirement } from 'kubernetes-models/v1/NodeSelectorRequirement';
export type { IPreferredSchedulingTerm as PreferredSchedulingTerm } from 'kubernetes-models/v1/PreferredSchedulingTerm';
export type { IPodAffinityTerm as PodAffinityTerm } from 'kubernetes-models/v1/PodAffinityTerm';
export type { ITopologySpreadConstraint as TopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
export type { IServiceSpec as ServiceSpec } from 'kubernetes-models/v1/ServiceSpec';
export type { IServiceStatus as ServiceStatus } from 'kubernetes-models/v1/ServiceStatus';
export type { IServicePort as ServicePort } from 'kubernetes-models/v1/ServicePort';
export type { ILoadBalancerIngress as LoadBalancerIngress } from 'kubernetes-models/v1/LoadBalancerIngress';
export type { IEndpointSubset as EndpointSubset } from 'kubernetes-models/v1/EndpointSubset';
export type { IEndpointAddress as EndpointAddress } from 'kubernetes-models/v1/EndpointAddress';
export type { IEndpointPort as CoreEndpointPort } from 'kubernetes-models/v1/EndpointPort';
export type { IObjectReference as ObjectReference } from 'kubernetes-models/v1/ObjectReference';
export type { IEventSource as EventSource } from 'kubernetes-models/v1/EventSource';
export type { IExecAction as ExecAction } from 'kubernetes-models/v1/ExecAction';
export type { IHTTPGetAction as HTTPGetAction } from 'kubernetes-models/v1/HTTPGetAction';
export type { ITCPSocketAction as TCPSocketAction } from 'kubernetes-models/v1/TCPSocketAction';
export type { ILifecycleHandler as LifecycleHandler } from 'kubernetes-models/v1/LifecycleHandler';
export type { IKeyToPath as KeyToPath } from 'kubernetes-models/v1/KeyToPath';
export type { IContainerStateTerminated as ContainerStateTerminated } from 'kubernetes-models/v1/ContainerStateTerminated';
export type { ILoadBalancerStatus as LoadBalancerStatus } from 'kubernetes-models/v1/LoadBalancerStatus';
