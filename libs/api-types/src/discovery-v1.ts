import type { Served } from './kube-object';
import type { IEndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice';

/** discovery.k8s.io/v1 kinds, from `kubernetes-models`. */
export type EndpointSlice = Served<IEndpointSlice>;

export type { IEndpoint as Endpoint } from 'kubernetes-models/discovery.k8s.io/v1/Endpoint';
export type { IEndpointConditions as EndpointConditions } from 'kubernetes-models/discovery.k8s.io/v1/EndpointConditions';
export type { IEndpointPort as EndpointPort } from 'kubernetes-models/discovery.k8s.io/v1/EndpointPort';
