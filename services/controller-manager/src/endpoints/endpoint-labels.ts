/** The labels and annotations Kubernetes' endpoint controllers put on what they write. */
export const ServiceNameLabel = 'kubernetes.io/service-name';
export const ManagedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const ManagedByController = 'endpointslice-controller.k8s.io';
export const HeadlessLabel = 'service.kubernetes.io/headless';
/** On the Endpoints this controller writes: EndpointSlice mirroring must not copy them back. */
export const SkipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';
export const TriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';
export const OverCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
export const ZoneLabel = 'topology.kubernetes.io/zone';

/** kube-controller-manager's --max-endpoints-per-slice default. */
export const MaxEndpointsPerSlice = 100;
/** The core/v1 Endpoints object stops here and says it was truncated. */
export const MaxEndpointsAddresses = 1000;
